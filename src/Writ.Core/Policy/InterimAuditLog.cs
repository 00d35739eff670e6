using System.Globalization;
using System.Text;
using Writ.Core.Audit;
using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Core.Policy;

/// <summary>
/// Keeps audit events in the administrative change log until the tamper-evident audit log is registered; the server
/// registers it only when no other <see cref="IAuditLog"/> is. Both methods are durable (no batching), and a store
/// failure surfaces as <see cref="AuditUnavailableException"/>, so callers still fail closed.
/// </summary>
public sealed class InterimAuditLog(IWritStore store, TimeProvider time) : IAuditLog
{
    /// <inheritdoc/>
    public async Task RecordDurableAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        try
        {
            await store.ChangeLog.AppendAsync(
                new ChangeRecord(0, time.GetUtcNow(), auditEvent.Actor ?? auditEvent.Agent ?? "-", auditEvent.Type, auditEvent.Target ?? "-", Detail(auditEvent)),
                cancellationToken);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException)
        {
            throw new AuditUnavailableException("the change log could not record the event", ex);
        }
    }

    /// <inheritdoc/>
    public ValueTask RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken) => new(RecordDurableAsync(auditEvent, cancellationToken));

    private static string Detail(AuditEvent e)
    {
        var text = new StringBuilder();
        Append(text, "decision", e.Decision);
        Append(text, "reason", e.Reason);
        Append(text, "owner", e.Owner);
        Append(text, "policies", e.Policies is null ? null : string.Join(',', e.Policies));
        Append(text, "errors", e.Errors is null ? null : string.Join(',', e.Errors));
        return text.ToString();
    }

    private static void Append(StringBuilder text, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            text.Append(CultureInfo.InvariantCulture, $"{(text.Length > 0 ? " " : string.Empty)}{name}={value}");
        }
    }
}
