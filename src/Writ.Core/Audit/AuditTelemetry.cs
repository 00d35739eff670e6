using System.Diagnostics.Metrics;

namespace Writ.Core.Audit;

/// <summary>The audit log's metrics, on the same meter name as the server's so one subscription exports both.</summary>
internal static class AuditTelemetry
{
    public static readonly Meter Meter = new("Writ");

    public static readonly Counter<long> Appends =
        Meter.CreateCounter<long>("writ.audit.appends", unit: "{record}", description: "Audit records made durable");

    public static readonly Histogram<int> BatchSize =
        Meter.CreateHistogram<int>("writ.audit.batch.size", unit: "{record}", description: "Records per audit commit");

    public static readonly Histogram<double> FlushLatency =
        Meter.CreateHistogram<double>("writ.audit.flush.duration", unit: "ms", description: "Time from a batch's first record being queued to its commit");

    public static readonly Counter<long> Refused =
        Meter.CreateCounter<long>("writ.audit.refused", unit: "{record}", description: "Audit records refused (queue full, store failing, stopped) or failed with their batch");
}
