namespace Writ.Core.Audit;

/// <summary>
/// The tamper-evident audit log, as capabilities see it. Both methods fail closed: when the record
/// cannot be kept they throw <see cref="AuditUnavailableException"/>, and the caller must not carry
/// out (or must refuse) the action.
/// </summary>
public interface IAuditLog
{
    /// <summary>
    /// For issuance (identity, task and access tokens, leases, credentials) and every admin change:
    /// completes once the record is durable. Call it before the response leaves.
    /// </summary>
    Task RecordDurableAsync(AuditEvent auditEvent, CancellationToken cancellationToken);

    /// <summary>
    /// For the hot path (per-call decisions, tool-call outcomes): completes once the group commit
    /// queue has accepted the record, which is flushed within the configured window (a window of 0
    /// makes this wait for durability).
    /// </summary>
    ValueTask RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken);

    /// <summary>
    /// For a record that completes an action already carried out (a forwarded call's outcome): such a
    /// record cannot be answered by refusing the action, so instead of being refused when the queue is
    /// busy it waits for room, which the log keeps for it by refusing new actions' records earlier. It
    /// throws <see cref="AuditUnavailableException"/> only when the log is stopped or failing.
    /// </summary>
    ValueTask RecordFollowUpAsync(AuditEvent auditEvent, CancellationToken cancellationToken) => RecordAsync(auditEvent, cancellationToken);
}
