using System.Buffers;
using System.Security.Cryptography;

namespace Writ.Core.Audit;

/// <summary>
/// The hashes of the RFC 9162 §2.1.1 Merkle tree: leaf = SHA-256(0x00 ‖ data),
/// node = SHA-256(0x01 ‖ left ‖ right), and the empty tree = SHA-256 of no bytes.
/// </summary>
public static class MerkleHash
{
    /// <summary>The length of every hash in bytes.</summary>
    public const int Size = 32;

    private const int StackLimit = 1024;

    /// <summary>The root of the empty tree, SHA-256("").</summary>
    public static byte[] EmptyRoot() => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    /// <summary>The leaf hash of <paramref name="data"/>.</summary>
    public static byte[] HashLeaf(ReadOnlySpan<byte> data)
    {
        var hash = new byte[Size];
        HashLeaf(data, hash);
        return hash;
    }

    /// <summary>Writes the leaf hash of <paramref name="data"/> to <paramref name="destination"/> (32 bytes).</summary>
    public static void HashLeaf(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var length = data.Length + 1;
        byte[]? rented = null;
        var buffer = length <= StackLimit ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length)).AsSpan(0, length);
        try
        {
            buffer[0] = 0x00;
            data.CopyTo(buffer[1..]);
            SHA256.HashData(buffer, destination);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The hash of the node whose children are <paramref name="left"/> and <paramref name="right"/>.</summary>
    public static byte[] HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var hash = new byte[Size];
        HashChildren(left, right, hash);
        return hash;
    }

    /// <summary>
    /// Writes the node hash of <paramref name="left"/> and <paramref name="right"/> to
    /// <paramref name="destination"/>, which may overlap either input.
    /// </summary>
    public static void HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        if (left.Length != Size || right.Length != Size)
        {
            throw new ArgumentException("child hashes must be 32 bytes");
        }

        Span<byte> buffer = stackalloc byte[1 + (2 * Size)];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + Size)..]);
        SHA256.HashData(buffer, destination);
    }

    /// <summary>Compares two hashes in constant time.</summary>
    public static bool AreEqual(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right) =>
        CryptographicOperations.FixedTimeEquals(left, right);
}
