using Writ.Core.Audit;
using Writ.Core.Policy;
using Writ.Core.Tasks;

namespace Writ.Gateway.Mcp;

/// <summary>
/// Decides, for a list answer, whether reading a listed resource or getting a listed prompt would be allowed: the
/// same decider as for calls, with the same policies and statuses, but nothing is recorded, since the item is only
/// shown, not used (its read or get is decided and recorded when made). Anything that cannot be decided is hidden.
/// </summary>
internal sealed class ListingDecider(IActivePolicySet policies, StatusCache status, TimeProvider time)
{
    private readonly CallDecider decider = new(policies, status, new Unrecorded(), time);

    public async ValueTask<bool> AllowsAsync(TaskTokenClaims task, CallRequest call, CancellationToken cancellationToken)
    {
        try
        {
            return (await decider.DecideAsync(task, call, cancellationToken)).Allowed;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Fail closed: an item whose use cannot be decided is not shown.
            return false;
        }
    }

    /// <summary>Drops the decisions of listed items, which are previews, not calls.</summary>
    private sealed class Unrecorded : IAuditLog
    {
        public Task RecordDurableAsync(AuditEvent auditEvent, CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
