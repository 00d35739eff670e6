using Writ.Core.Admin;
using Writ.Core.Storage;

namespace Writ.Core.Audit;

/// <summary>
/// Retention: deletes the oldest audit records at a signed checkpoint while keeping the log
/// verifiable. The Merkle frontier of the deleted records is kept (computed here from the store and
/// checked against the checkpoint's root first), and checkpoints are never deleted, so
/// <c>writ audit verify</c> still checks what remains against signed history.
/// </summary>
public sealed class AuditRetention(IWritStore store, TimeProvider time)
{
    private const string Action = "audit.prune";

    /// <summary>Deletes the records below <paramref name="before"/>, which must be the tree size of a stored checkpoint.</summary>
    public async Task<AdminResult<AuditPruneResult>> PruneAsync(AdminCaller caller, long before, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var head = await store.Audit.GetHeadAsync(cancellationToken);
        if (before <= head.PrunedBefore)
        {
            return AdminError.Invalid("already_pruned", $"records below {head.PrunedBefore} are already pruned; give a larger checkpoint size");
        }

        if (await store.Audit.GetCheckpointAsync(before, cancellationToken) is not { } checkpoint)
        {
            return AdminError.Invalid("not_a_checkpoint", $"no signed checkpoint has tree size {before}; prune at a checkpoint's size (writ audit show, GET /admin/v1/audit/checkpoints)");
        }

        var frontier = await FrontierAtAsync(head, before, cancellationToken);
        if (!MerkleHash.AreEqual(frontier.Root(), checkpoint.RootHash))
        {
            // Deleting records that do not match what was signed would destroy the evidence.
            throw new InvalidOperationException($"the audit records below {before} do not match the checkpoint signed for that size; run `writ audit verify` before pruning");
        }

        var detail = $"before={before}";
        await ChangeLog.IntendAsync(store, caller, Action, "audit", detail, cancellationToken);
        var deleted = await store.Audit.PruneAsync(before, frontier.ToBytes(), cancellationToken);
        await ChangeLog.RecordAsync(store, time.GetUtcNow(), caller, Action, "audit", $"{detail};deleted={deleted}", cancellationToken);
        return new AuditPruneResult(before, deleted, checkpoint.TreeSize);
    }

    // The frontier of the first `size` leaves holds the hashes of its maximal complete subtrees, largest first.
    private async Task<MerkleFrontier> FrontierAtAsync(AuditHead head, long size, CancellationToken cancellationToken)
    {
        var source = new AuditStoreLeaves(store.Audit, head);
        var hashes = new List<byte[]>();
        foreach (var (start, end) in MerkleFrontier.SubtreeRanges(size))
        {
            hashes.Add(await source.GetSubtreeHashAsync(start, end, cancellationToken));
        }

        return MerkleFrontier.FromSubtreeHashes(size, hashes);
    }
}

/// <summary>What a prune did.</summary>
/// <param name="PrunedBefore">Records below this sequence number are gone.</param>
/// <param name="Deleted">How many records this prune deleted.</param>
/// <param name="Checkpoint">The tree size of the checkpoint the prune was made at.</param>
public sealed record AuditPruneResult(long PrunedBefore, long Deleted, long Checkpoint);
