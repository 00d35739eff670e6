using Writ.Core.Storage;

namespace Writ.Core.Leases;

/// <summary>One pass of the reaper: ends leases past their expiry and retries failed revocations that are due.</summary>
public sealed class LeaseReaping(IWritStore store, LeaseRevoker revoker, TimeProvider time)
{
    /// <summary>The most leases one pass handles; the next pass continues.</summary>
    public const int BatchSize = 200;

    /// <summary>Handles what is due now; returns the leases as they are afterwards.</summary>
    public async Task<IReadOnlyList<Lease>> RunOnceAsync(CancellationToken cancellationToken)
    {
        var due = await store.Leases.ListDueAsync(time.GetUtcNow(), BatchSize, cancellationToken);
        var results = new List<Lease>(due.Count);
        foreach (var lease in due)
        {
            results.Add(await revoker.RevokeAsync(lease, lease.EndReason ?? Lease.ExpiredReason, cancellationToken));
        }

        return results;
    }
}
