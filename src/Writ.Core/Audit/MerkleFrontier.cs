using System.Buffers.Binary;
using System.Numerics;

namespace Writ.Core.Audit;

/// <summary>
/// The right edge of a Merkle tree (its compact range): the roots of the perfect subtrees that
/// make up the first <see cref="Size"/> leaves, one per set bit of the size, largest first. It is
/// enough to append further leaves and compute the root, each in O(log n), so a store keeps it with
/// every batch and after pruning instead of the pruned leaves. Not safe for concurrent use.
/// </summary>
public sealed class MerkleFrontier
{
    private const byte FormatVersion = 1;
    private const int HeaderLength = 1 + sizeof(long);

    // At most one hash per bit of the size.
    private readonly byte[] _hashes = new byte[64 * MerkleHash.Size];
    private int _count;

    /// <summary>The number of leaves appended so far.</summary>
    public long Size { get; private set; }

    /// <summary>Reads what <see cref="ToBytes"/> wrote.</summary>
    /// <exception cref="FormatException">The bytes are not a frontier.</exception>
    public static MerkleFrontier FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderLength || bytes[0] != FormatVersion)
        {
            throw new FormatException("not a Merkle frontier (wrong length or version)");
        }

        var size = BinaryPrimitives.ReadInt64BigEndian(bytes[1..]);
        if (size < 0)
        {
            throw new FormatException("a Merkle frontier's size must not be negative");
        }

        var count = BitOperations.PopCount((ulong)size);
        if (bytes.Length != HeaderLength + (count * MerkleHash.Size))
        {
            throw new FormatException($"a Merkle frontier of size {size} holds {count} hashes");
        }

        var frontier = new MerkleFrontier { Size = size, _count = count };
        bytes[HeaderLength..].CopyTo(frontier._hashes);
        return frontier;
    }

    /// <summary>The frontier of <paramref name="size"/> leaves from the hashes of its maximal complete subtrees, largest first.</summary>
    /// <exception cref="ArgumentException">The number or length of the hashes does not fit <paramref name="size"/>.</exception>
    public static MerkleFrontier FromSubtreeHashes(long size, IReadOnlyList<byte[]> hashes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentNullException.ThrowIfNull(hashes);
        var bytes = new byte[HeaderLength + (hashes.Count * MerkleHash.Size)];
        bytes[0] = FormatVersion;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), size);
        for (var i = 0; i < hashes.Count; i++)
        {
            if (hashes[i].Length != MerkleHash.Size)
            {
                throw new ArgumentException("every subtree hash is a SHA-256 hash", nameof(hashes));
            }

            hashes[i].CopyTo(bytes.AsSpan(HeaderLength + (i * MerkleHash.Size)));
        }

        try
        {
            return FromBytes(bytes);
        }
        catch (FormatException e)
        {
            throw new ArgumentException(e.Message, nameof(hashes), e);
        }
    }

    /// <summary>
    /// The serialized frontier: a version byte (1), the size as a big-endian 64-bit integer, then
    /// the subtree hashes, largest subtree first.
    /// </summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[HeaderLength + (_count * MerkleHash.Size)];
        bytes[0] = FormatVersion;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), Size);
        _hashes.AsSpan(0, _count * MerkleHash.Size).CopyTo(bytes.AsSpan(HeaderLength));
        return bytes;
    }

    /// <summary>An independent copy.</summary>
    public MerkleFrontier Clone()
    {
        var copy = new MerkleFrontier { Size = Size, _count = _count };
        _hashes.AsSpan(0, _count * MerkleHash.Size).CopyTo(copy._hashes);
        return copy;
    }

    /// <summary>
    /// The leaf ranges [Start, End) of the perfect subtrees that make up the first <paramref name="size"/>
    /// leaves, largest first: the ranges whose hashes a frontier of that size holds, in its order.
    /// </summary>
    public static IEnumerable<(long Start, long End)> SubtreeRanges(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var start = 0L;
        for (var bit = 62; bit >= 0; bit--)
        {
            var width = 1L << bit;
            if ((size & width) != 0)
            {
                yield return (start, start + width);
                start += width;
            }
        }
    }

    /// <summary>The subtree hashes, in the order of <see cref="SubtreeRanges(long)"/> for <see cref="Size"/>.</summary>
    public IReadOnlyList<byte[]> SubtreeHashes()
    {
        var hashes = new byte[_count][];
        for (var i = 0; i < _count; i++)
        {
            hashes[i] = Slot(i).ToArray();
        }

        return hashes;
    }

    /// <summary>Appends the leaf with hash <paramref name="leafHash"/> (see <see cref="MerkleHash.HashLeaf(ReadOnlySpan{byte})"/>).</summary>
    public void Append(ReadOnlySpan<byte> leafHash)
    {
        if (leafHash.Length != MerkleHash.Size)
        {
            throw new ArgumentException("a leaf hash is 32 bytes", nameof(leafHash));
        }

        if (Size == long.MaxValue)
        {
            throw new InvalidOperationException("the tree is full");
        }

        Span<byte> node = stackalloc byte[MerkleHash.Size];
        leafHash.CopyTo(node);

        // Each trailing one bit of the size is a complete subtree of the new leaf's height: merge it.
        for (var size = Size; (size & 1) == 1; size >>= 1)
        {
            _count--;
            MerkleHash.HashChildren(Slot(_count), node, node);
        }

        node.CopyTo(Slot(_count));
        _count++;
        Size++;
    }

    /// <summary>The root hash of the first <see cref="Size"/> leaves (the empty-tree hash when none).</summary>
    public byte[] Root()
    {
        var root = new byte[MerkleHash.Size];
        Root(root);
        return root;
    }

    /// <summary>Writes the root hash to <paramref name="destination"/> (32 bytes).</summary>
    public void Root(Span<byte> destination)
    {
        if (_count == 0)
        {
            MerkleHash.EmptyRoot().CopyTo(destination);
            return;
        }

        Span<byte> accumulator = stackalloc byte[MerkleHash.Size];
        Slot(_count - 1).CopyTo(accumulator);
        for (var i = _count - 2; i >= 0; i--)
        {
            MerkleHash.HashChildren(Slot(i), accumulator, accumulator);
        }

        accumulator.CopyTo(destination);
    }

    private Span<byte> Slot(int index) => _hashes.AsSpan(index * MerkleHash.Size, MerkleHash.Size);
}
