using Writ.Core.Audit;

namespace Writ.Server.Hosting;

/// <summary>
/// Exports every committed audit record as a log record in the <c>Writ.Audit</c> category (which
/// OpenTelemetry ships when an OTLP endpoint is configured), and reports failed commits.
/// </summary>
internal sealed partial class AuditLogObserver(ILoggerFactory loggers) : IAuditObserver
{
    public const string Category = "Writ.Audit";

    private readonly ILogger _records = loggers.CreateLogger(Category);
    private readonly ILogger _errors = loggers.CreateLogger<AuditLogObserver>();

    public void Committed(IReadOnlyList<AuditRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (!_records.IsEnabled(LogLevel.Information))
        {
            return;
        }

        foreach (var record in records)
        {
            LogRecord(_records, record.Sequence, record.Type, record.Time, record.Agent, record.Owner, record.TaskId, record.Target, record.Decision, record.Reason, record.Actor, record.TraceId);
        }
    }

    public void Failed(int records, Exception error)
    {
        if (records == 0)
        {
            LogCheckpointFailed(_errors, error);
        }
        else
        {
            LogCommitFailed(_errors, records, error);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "audit {Sequence} {Type} agent={Agent} owner={Owner} task={TaskId} target={Target} decision={Decision} reason={Reason} actor={Actor} time={Time} trace={TraceId}")]
    private static partial void LogRecord(ILogger logger, long sequence, string type, DateTimeOffset time, string? agent, string? owner, string? taskId, string? target, string? decision, string? reason, string? actor, string? traceId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "The audit log could not commit {Records} records; the actions waiting on them were refused")]
    private static partial void LogCommitFailed(ILogger logger, int records, Exception error);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "The audit log could not sign a checkpoint or export committed records; it carries on")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception error);
}
