namespace Writ.Core.Audit;

/// <summary>
/// Computes subtree hashes by reading leaf hashes in chunks and folding them into a
/// <see cref="MerkleFrontier"/>: memory O(chunk + log n), reads O(end − start). A proof for a tree
/// of n leaves reads each of its n leaf hashes at most once.
/// </summary>
public sealed class LeafRangeSubtreeSource : IMerkleSubtreeSource
{
    private readonly IMerkleLeafSource _leaves;
    private readonly int _chunkLeaves;

    /// <summary>Reads from <paramref name="leaves"/>, <paramref name="chunkLeaves"/> leaf hashes per read.</summary>
    public LeafRangeSubtreeSource(IMerkleLeafSource leaves, int chunkLeaves = 8192)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkLeaves, 1);
        _leaves = leaves;
        _chunkLeaves = chunkLeaves;
    }

    /// <inheritdoc />
    public async ValueTask<byte[]> GetSubtreeHashAsync(long start, long end, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(end, start);
        var frontier = new MerkleFrontier();
        var buffer = new byte[(int)Math.Min(_chunkLeaves, end - start) * MerkleHash.Size];
        for (var position = start; position < end;)
        {
            var count = (int)Math.Min(_chunkLeaves, end - position);
            var chunk = buffer.AsMemory(0, count * MerkleHash.Size);
            await _leaves.ReadLeafHashesAsync(position, chunk, cancellationToken);
            for (var i = 0; i < count; i++)
            {
                frontier.Append(chunk.Span.Slice(i * MerkleHash.Size, MerkleHash.Size));
            }

            position += count;
        }

        return frontier.Root();
    }
}
