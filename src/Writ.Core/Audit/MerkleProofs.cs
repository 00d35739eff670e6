using System.Numerics;

namespace Writ.Core.Audit;

/// <summary>
/// Inclusion and consistency proofs of RFC 9162 §2.1.3 and §2.1.4: generation over an
/// <see cref="IMerkleSubtreeSource"/>, and verification by the algorithms of §2.1.3.2 and §2.1.4.2.
/// Proof hashes are ordered as the RFC orders them (from the leaf side up).
/// </summary>
public static class MerkleProofs
{
    /// <summary>The inclusion proof (audit path) of leaf <paramref name="index"/> in the tree of the first <paramref name="treeSize"/> leaves.</summary>
    public static async Task<IReadOnlyList<byte[]>> CreateInclusionProofAsync(IMerkleSubtreeSource source, long index, long treeSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (index < 0 || index >= treeSize)
        {
            throw new ArgumentOutOfRangeException(nameof(index), "the leaf index must be below the tree size");
        }

        return await FetchAsync(source, InclusionRanges(index, treeSize), cancellationToken);
    }

    /// <summary>
    /// The consistency proof between the trees of the first <paramref name="first"/> and
    /// <paramref name="second"/> leaves; empty when <paramref name="first"/> is 0 or equals <paramref name="second"/>.
    /// </summary>
    public static async Task<IReadOnlyList<byte[]>> CreateConsistencyProofAsync(IMerkleSubtreeSource source, long first, long second, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (first < 0 || first > second)
        {
            throw new ArgumentOutOfRangeException(nameof(first), "the first tree size must be between 0 and the second");
        }

        return await FetchAsync(source, ConsistencyRanges(first, second), cancellationToken);
    }

    /// <summary>
    /// The leaf ranges [start, end) whose subtree hashes form the inclusion proof, in proof order
    /// (RFC 9162 §2.1.3.1, PATH).
    /// </summary>
    public static IReadOnlyList<(long Start, long End)> InclusionRanges(long index, long treeSize)
    {
        if (index < 0 || index >= treeSize)
        {
            throw new ArgumentOutOfRangeException(nameof(index), "the leaf index must be below the tree size");
        }

        var ranges = new List<(long, long)>();
        long low = 0, high = treeSize;
        while (high - low > 1)
        {
            var split = low + LargestPowerOfTwoBelow(high - low);
            if (index < split)
            {
                ranges.Add((split, high));
                high = split;
            }
            else
            {
                ranges.Add((low, split));
                low = split;
            }
        }

        ranges.Reverse();
        return ranges;
    }

    /// <summary>
    /// The leaf ranges whose subtree hashes form the consistency proof, in proof order
    /// (RFC 9162 §2.1.4.1, SUBPROOF with b = true).
    /// </summary>
    public static IReadOnlyList<(long Start, long End)> ConsistencyRanges(long first, long second)
    {
        if (first < 0 || first > second)
        {
            throw new ArgumentOutOfRangeException(nameof(first), "the first tree size must be between 0 and the second");
        }

        var ranges = new List<(long, long)>();
        if (first == 0 || first == second)
        {
            return ranges;
        }

        long low = 0, high = second, m = first;
        var complete = true;
        while (m != high - low)
        {
            var k = LargestPowerOfTwoBelow(high - low);
            if (m <= k)
            {
                ranges.Add((low + k, high));
                high = low + k;
            }
            else
            {
                ranges.Add((low, low + k));
                low += k;
                m -= k;
                complete = false;
            }
        }

        if (!complete)
        {
            ranges.Add((low, high));
        }

        ranges.Reverse();
        return ranges;
    }

    /// <summary>
    /// Verifies that <paramref name="leafHash"/> is leaf <paramref name="index"/> of the tree of
    /// <paramref name="treeSize"/> leaves with root <paramref name="rootHash"/> (RFC 9162 §2.1.3.2).
    /// </summary>
    public static bool VerifyInclusion(long index, long treeSize, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> rootHash)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (index < 0 || index >= treeSize || leafHash.Length != MerkleHash.Size || rootHash.Length != MerkleHash.Size || proof.Count > 64)
        {
            return false;
        }

        var fn = index;
        var sn = treeSize - 1;
        Span<byte> r = stackalloc byte[MerkleHash.Size];
        leafHash.CopyTo(r);
        foreach (var p in proof)
        {
            if (sn == 0 || p is null || p.Length != MerkleHash.Size)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                MerkleHash.HashChildren(p, r, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                MerkleHash.HashChildren(r, p, r);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && MerkleHash.AreEqual(r, rootHash);
    }

    /// <summary>
    /// Verifies that the tree of <paramref name="second"/> leaves with root <paramref name="secondRoot"/>
    /// extends the tree of <paramref name="first"/> leaves with root <paramref name="firstRoot"/>
    /// (RFC 9162 §2.1.4.2). Equal sizes need an empty proof and equal roots; a first size of 0
    /// needs an empty proof and the empty-tree root.
    /// </summary>
    public static bool VerifyConsistency(long first, long second, ReadOnlySpan<byte> firstRoot, ReadOnlySpan<byte> secondRoot, IReadOnlyList<byte[]> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (first < 0 || first > second || firstRoot.Length != MerkleHash.Size || secondRoot.Length != MerkleHash.Size || proof.Count > 128)
        {
            return false;
        }

        if (first == second)
        {
            return proof.Count == 0 && MerkleHash.AreEqual(firstRoot, secondRoot);
        }

        if (first == 0)
        {
            return proof.Count == 0 && MerkleHash.AreEqual(firstRoot, MerkleHash.EmptyRoot());
        }

        if (proof.Count == 0)
        {
            return false;
        }

        var path = new List<byte[]>(proof.Count + 1);
        if (BitOperations.IsPow2(first))
        {
            path.Add(firstRoot.ToArray());
        }

        path.AddRange(proof);
        foreach (var p in path)
        {
            if (p is null || p.Length != MerkleHash.Size)
            {
                return false;
            }
        }

        var fn = first - 1;
        var sn = second - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        Span<byte> fr = stackalloc byte[MerkleHash.Size];
        Span<byte> sr = stackalloc byte[MerkleHash.Size];
        path[0].CopyTo(fr);
        path[0].CopyTo(sr);
        for (var i = 1; i < path.Count; i++)
        {
            var c = path[i];
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                MerkleHash.HashChildren(c, fr, fr);
                MerkleHash.HashChildren(c, sr, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                MerkleHash.HashChildren(sr, c, sr);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && MerkleHash.AreEqual(fr, firstRoot) && MerkleHash.AreEqual(sr, secondRoot);
    }

    private static long LargestPowerOfTwoBelow(long n) => 1L << (63 - BitOperations.LeadingZeroCount((ulong)(n - 1)));

    private static async Task<IReadOnlyList<byte[]>> FetchAsync(IMerkleSubtreeSource source, IReadOnlyList<(long Start, long End)> ranges, CancellationToken cancellationToken)
    {
        var hashes = new byte[ranges.Count][];
        for (var i = 0; i < ranges.Count; i++)
        {
            hashes[i] = await source.GetSubtreeHashAsync(ranges[i].Start, ranges[i].End, cancellationToken);
        }

        return hashes;
    }
}
