using Writ.Core.Storage;
using Writ.Core.Tasks;

namespace Writ.Core.Leases;

/// <summary>
/// One pass of the reaper: ends leases past their expiry, retries failed revocations that are due, and
/// ends the leases of tasks that have ended (completed, cancelled, expired or revoked) — a safety net
/// behind the revocation cascade, so a task's end reaches its leases within one pass even when nothing
/// cascaded.
/// </summary>
public sealed class LeaseReaping(IWritStore store, LeaseRevoker revoker, TimeProvider time)
{
    /// <summary>The most leases one pass handles in each of its steps; the next pass continues.</summary>
    public const int BatchSize = 200;

    /// <summary>How many active leases one pass checks against their tasks.</summary>
    public const int TaskCheckSize = 1000;

    /// <summary>Handles what is due now; returns the leases it changed, as they are afterwards.</summary>
    public async Task<IReadOnlyList<Lease>> RunOnceAsync(CancellationToken cancellationToken)
    {
        var results = new List<Lease>();
        foreach (var lease in await store.Leases.ListDueAsync(time.GetUtcNow(), BatchSize, cancellationToken))
        {
            results.Add(await revoker.RevokeAsync(lease, lease.EndReason ?? Lease.ExpiredReason, cancellationToken));
        }

        var now = time.GetUtcNow();
        var active = await store.Leases.ListAsync(new LeaseQuery(State: LeaseState.Active, Limit: TaskCheckSize), cancellationToken);
        foreach (var taskId in active.Select(l => l.TaskId).Distinct(StringComparer.Ordinal))
        {
            var task = await store.Tasks.GetAsync(taskId, cancellationToken);
            if (task is not null && task.State == TaskState.Active && task.ExpiresAt > now)
            {
                continue;
            }

            var reason = task is null ? "task unknown" : "task " + TaskStateNames.Of(task.State == TaskState.Active ? TaskState.Expired : task.State);
            results.AddRange(await revoker.RevokeForTaskAsync(taskId, reason, cancellationToken));
        }

        return results;
    }
}
