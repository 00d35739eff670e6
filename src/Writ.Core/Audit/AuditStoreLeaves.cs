using System.Numerics;
using Writ.Core.Storage;

namespace Writ.Core.Audit;

/// <summary>
/// Subtree hashes for proofs, read from the store: from the retained leaf hashes, and for the pruned
/// prefix from the frontier kept at the prune (the maximal subtrees of the pruned leaves), which is
/// all a proof about a retained record needs from there.
/// </summary>
internal sealed class AuditStoreLeaves : IMerkleLeafSource, IMerkleSubtreeSource
{
    private readonly IAuditStore _store;
    private readonly AuditHead _head;
    private readonly LeafRangeSubtreeSource _ranges;
    private readonly Dictionary<(long Start, long End), byte[]> _pruned = [];

    public AuditStoreLeaves(IAuditStore store, AuditHead head)
    {
        _store = store;
        _head = head;
        _ranges = new LeafRangeSubtreeSource(this);
        if (head.PrunedBefore > 0)
        {
            var pruned = ReadPrunedFrontier(head);
            foreach (var (range, hash) in MerkleFrontier.SubtreeRanges(head.PrunedBefore).Zip(pruned.SubtreeHashes()))
            {
                _pruned[range] = hash;
            }
        }
    }

    private static MerkleFrontier ReadPrunedFrontier(AuditHead head)
    {
        try
        {
            var frontier = MerkleFrontier.FromBytes(head.PrunedFrontier);
            if (frontier.Size == head.PrunedBefore)
            {
                return frontier;
            }
        }
        catch (FormatException)
        {
        }

        throw new InvalidOperationException("the stored frontier of the pruned records does not match their count");
    }

    public async ValueTask ReadLeafHashesAsync(long start, Memory<byte> destination, CancellationToken cancellationToken)
    {
        var count = destination.Length / MerkleHash.Size;
        var hashes = await _store.GetLeafHashesAsync(start, start + count, cancellationToken);
        if (hashes.Count != count)
        {
            throw new AuditProofUnavailableException($"audit records {start} to {start + count - 1} are not all available (pruned below {_head.PrunedBefore}, or beyond the log)");
        }

        for (var i = 0; i < count; i++)
        {
            hashes[i].CopyTo(destination.Span.Slice(i * MerkleHash.Size, MerkleHash.Size));
        }
    }

    public async ValueTask<byte[]> GetSubtreeHashAsync(long start, long end, CancellationToken cancellationToken)
    {
        if (start >= _head.PrunedBefore)
        {
            return await _ranges.GetSubtreeHashAsync(start, end, cancellationToken);
        }

        if (_pruned.TryGetValue((start, end), out var hash))
        {
            return hash;
        }

        if (end - start == 1)
        {
            throw new AuditProofUnavailableException($"the proof needs records below {_head.PrunedBefore}, which were pruned");
        }

        // RFC 9162 MTH: split at the largest power of two below the width; the parts that lie in the
        // pruned prefix are subtrees of the kept frontier, the rest is read from the retained leaves.
        var split = 1L << (63 - BitOperations.LeadingZeroCount((ulong)(end - start - 1)));
        var left = await GetSubtreeHashAsync(start, start + split, cancellationToken);
        var right = await GetSubtreeHashAsync(start + split, end, cancellationToken);
        return MerkleHash.HashChildren(left, right);
    }
}
