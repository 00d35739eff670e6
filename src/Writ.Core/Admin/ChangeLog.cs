using Writ.Core.Audit;
using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Core.Admin;

/// <summary>
/// Records which named admin token made each change, in the tamper-evident audit log and the change
/// log. Write-ahead: <see cref="IntendAsync"/> makes an <c>admin.change</c> record with decision
/// <c>requested</c> durable before the change is applied, so no change is applied unrecorded; when
/// the audit log is unavailable it throws and the change is not made. <see cref="RecordAsync"/>, after
/// the change, makes the <c>applied</c> record durable before the response leaves. A <c>requested</c>
/// record without its <c>applied</c> one means the store refused the change (or the process died).
/// </summary>
internal static class ChangeLog
{
    public const string Requested = "requested";
    public const string Applied = "applied";

    /// <summary>Before applying a change: its durable <c>requested</c> record.</summary>
    /// <exception cref="AuditUnavailableException">The record could not be made durable; do not apply the change.</exception>
    public static Task IntendAsync(IWritStore store, AdminCaller caller, string action, string target, string? detail, CancellationToken cancellationToken) =>
        AuditLogs.For(store).RecordDurableAsync(Event(caller, action, target, detail, Requested), cancellationToken);

    /// <summary>After applying a change: its durable <c>applied</c> record, then the change log row.</summary>
    public static async Task RecordAsync(IWritStore store, DateTimeOffset at, AdminCaller caller, string action, string target, string? detail, CancellationToken cancellationToken)
    {
        await AuditLogs.For(store).RecordDurableAsync(Event(caller, action, target, detail, Applied), cancellationToken);
        await store.ChangeLog.AppendAsync(new ChangeRecord(0, at, caller.Name, action, target, detail), cancellationToken);
    }

    private static AuditEvent Event(AdminCaller caller, string action, string target, string? detail, string decision)
    {
        var facts = new Dictionary<string, string>(StringComparer.Ordinal) { ["action"] = action };
        if (detail is not null)
        {
            facts["detail"] = detail;
        }

        return new AuditEvent
        {
            Type = AuditEventTypes.AdminChange,
            Actor = caller.Name,
            Owner = caller.Owner,
            Target = target,
            Decision = decision,
            Reason = action,
            TraceId = System.Diagnostics.Activity.Current?.TraceId.ToHexString(),
            Detail = facts,
        };
    }
}
