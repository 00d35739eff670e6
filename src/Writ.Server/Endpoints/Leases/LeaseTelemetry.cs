using System.Diagnostics.Metrics;
using Writ.Server.Telemetry;

namespace Writ.Server.Endpoints.Leases;

/// <summary>Lease metrics: what the reaper ended and how many revocations are stuck.</summary>
internal static class LeaseTelemetry
{
    private static long stuck;

    /// <summary>Leases ended by the reaper or a revocation, tagged by kind and outcome (revoked, expired, failed_revocation).</summary>
    public static readonly Counter<long> Ended =
        WritTelemetry.Meter.CreateCounter<long>("writ.leases.ended", unit: "{lease}", description: "Leases ended, by kind and outcome");

    /// <summary>Leases whose revocation failed and is being retried, as of the reaper's last pass.</summary>
    public static readonly ObservableGauge<long> Stuck =
        WritTelemetry.Meter.CreateObservableGauge("writ.leases.stuck", () => Interlocked.Read(ref stuck), unit: "{lease}", description: "Leases in failed_revocation (revocation retried with backoff)");

    public static void SetStuck(long count) => Interlocked.Exchange(ref stuck, count);
}
