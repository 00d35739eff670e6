namespace Writ.Core.Audit;

/// <summary>
/// The leaf hashes of a log by range, which is what a store can serve cheaply (one indexed range
/// read). <see cref="LeafRangeSubtreeSource"/> turns it into the subtree hashes proofs need.
/// </summary>
public interface IMerkleLeafSource
{
    /// <summary>
    /// Fills <paramref name="destination"/> (a multiple of 32 bytes) with the leaf hashes of the
    /// leaves from <paramref name="start"/> on, in order. Throws when any of them is not available.
    /// </summary>
    ValueTask ReadLeafHashesAsync(long start, Memory<byte> destination, CancellationToken cancellationToken);
}
