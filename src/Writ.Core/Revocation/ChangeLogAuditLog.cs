using System.Globalization;
using Writ.Core.Audit;
using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Core.Revocation;

/// <summary>
/// Keeps audit events as administrative change records when no tamper-evident audit log is registered
/// (a deployment built before the audit log existed): still durable before the answer leaves, and
/// still failing closed, but not hash-chained. Replaced by the real log as soon as one is registered.
/// </summary>
public sealed class ChangeLogAuditLog(IWritStore store, TimeProvider time) : IAuditLog
{
    /// <inheritdoc />
    public async Task RecordDurableAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        var detail = auditEvent.Detail is null ? null : string.Join(' ', auditEvent.Detail.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}={kv.Value}")));
        try
        {
            await store.ChangeLog.AppendAsync(new ChangeRecord(0, time.GetUtcNow(), auditEvent.Actor ?? "system", auditEvent.Type, auditEvent.Target ?? string.Empty, detail), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new AuditUnavailableException("the change log could not record the event", ex);
        }
    }

    /// <inheritdoc />
    public ValueTask RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken) =>
        new(RecordDurableAsync(auditEvent, cancellationToken));
}
