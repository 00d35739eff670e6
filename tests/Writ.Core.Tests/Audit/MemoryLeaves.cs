using Writ.Core.Audit;

namespace Writ.Core.Tests.Audit;

// Leaf hashes held in memory, served by range as a store would.
internal sealed class MemoryLeaves(IReadOnlyList<byte[]> leafHashes) : IMerkleLeafSource
{
    public int Reads { get; private set; }

    public ValueTask ReadLeafHashesAsync(long start, Memory<byte> destination, CancellationToken cancellationToken)
    {
        Reads++;
        var count = destination.Length / MerkleHash.Size;
        if (start < 0 || start + count > leafHashes.Count || destination.Length % MerkleHash.Size != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(start));
        }

        for (var i = 0; i < count; i++)
        {
            leafHashes[(int)start + i].CopyTo(destination.Span[(i * MerkleHash.Size)..]);
        }

        return ValueTask.CompletedTask;
    }

    public static List<byte[]> Make(int count, int seed = 0) =>
        [.. Enumerable.Range(0, count).Select(i => ReferenceMerkle.Leaf(BitConverter.GetBytes((seed * 1_000_003L) + i)))];
}
