namespace Writ.Core.Audit;

/// <summary>
/// Subtree hashes of a log: what inclusion and consistency proofs are made of. A store may answer
/// from cached node hashes; <see cref="LeafRangeSubtreeSource"/> answers from leaf hashes.
/// </summary>
public interface IMerkleSubtreeSource
{
    /// <summary>
    /// The RFC 9162 Merkle tree hash MTH(D[<paramref name="start"/>:<paramref name="end"/>]) of the
    /// leaves start (inclusive) to end (exclusive); <paramref name="end"/> is greater than <paramref name="start"/>.
    /// </summary>
    ValueTask<byte[]> GetSubtreeHashAsync(long start, long end, CancellationToken cancellationToken);
}
