using System.Security.Cryptography;

namespace Writ.Core.Tests.Audit;

// A second implementation of RFC 9162 §2.1, written from the RFC's recursive definitions and
// sharing no code with Writ.Core.Audit: it computes roots and proofs by recursion over leaf lists
// and verifies proofs by rebuilding the tree shape, not by the RFC's bit-walking algorithms.
internal static class ReferenceMerkle
{
    public static byte[] Leaf(byte[] data) => SHA256.HashData([0, .. data]);

    public static byte[] Node(byte[] left, byte[] right) => SHA256.HashData([1, .. left, .. right]);

    public static byte[] Root(IReadOnlyList<byte[]> leafHashes) => leafHashes.Count switch
    {
        0 => SHA256.HashData(Array.Empty<byte>()),
        1 => leafHashes[0],
        _ => Node(Root(Slice(leafHashes, 0, Split(leafHashes.Count))), Root(Slice(leafHashes, Split(leafHashes.Count), leafHashes.Count))),
    };

    public static List<byte[]> Path(int m, IReadOnlyList<byte[]> leaves)
    {
        var n = leaves.Count;
        if (n <= 1)
        {
            return [];
        }

        var k = Split(n);
        if (m < k)
        {
            var path = Path(m, Slice(leaves, 0, k));
            path.Add(Root(Slice(leaves, k, n)));
            return path;
        }
        else
        {
            var path = Path(m - k, Slice(leaves, k, n));
            path.Add(Root(Slice(leaves, 0, k)));
            return path;
        }
    }

    public static List<byte[]> Consistency(int m, IReadOnlyList<byte[]> leaves) =>
        m == 0 || m == leaves.Count ? [] : SubProof(m, leaves, true);

    // Rebuilds the root from the leaf hash and the path by following the tree's shape top-down.
    public static bool VerifyInclusion(int m, int n, byte[] leafHash, IReadOnlyList<byte[]> path, byte[] root)
    {
        if (m < 0 || m >= n)
        {
            return false;
        }

        var next = path.Count - 1;
        var rebuilt = Rebuild(m, n, leafHash, path, ref next);
        return rebuilt is not null && next == -1 && rebuilt.AsSpan().SequenceEqual(root);
    }

    public static bool VerifyConsistency(int m, int n, byte[] oldRoot, byte[] newRoot, IReadOnlyList<byte[]> proof)
    {
        if (m < 0 || m > n)
        {
            return false;
        }

        if (m == n || m == 0)
        {
            return proof.Count == 0 && (m == 0 ? oldRoot.AsSpan().SequenceEqual(Root([])) : oldRoot.AsSpan().SequenceEqual(newRoot));
        }

        var next = proof.Count - 1;
        var rebuilt = RebuildBoth(m, n, true, oldRoot, proof, ref next);
        return rebuilt is { } pair && next == -1 && pair.Old.AsSpan().SequenceEqual(oldRoot) && pair.New.AsSpan().SequenceEqual(newRoot);
    }

    private static byte[]? Rebuild(int m, int n, byte[] leafHash, IReadOnlyList<byte[]> path, ref int next)
    {
        if (n == 1)
        {
            return leafHash;
        }

        if (next < 0)
        {
            return null;
        }

        var sibling = path[next--];
        var k = Split(n);
        if (m < k)
        {
            var left = Rebuild(m, k, leafHash, path, ref next);
            return left is null ? null : Node(left, sibling);
        }

        var right = Rebuild(m - k, n - k, leafHash, path, ref next);
        return right is null ? null : Node(sibling, right);
    }

    private static (byte[] Old, byte[] New)? RebuildBoth(int m, int n, bool leftEdge, byte[] oldRoot, IReadOnlyList<byte[]> proof, ref int next)
    {
        if (m == n)
        {
            if (leftEdge)
            {
                return (oldRoot, oldRoot);
            }

            if (next < 0)
            {
                return null;
            }

            var whole = proof[next--];
            return (whole, whole);
        }

        if (next < 0)
        {
            return null;
        }

        var extra = proof[next--];
        var k = Split(n);
        if (m <= k)
        {
            var inner = RebuildBoth(m, k, leftEdge, oldRoot, proof, ref next);
            return inner is { } left ? (left.Old, Node(left.New, extra)) : null;
        }

        var rightInner = RebuildBoth(m - k, n - k, false, oldRoot, proof, ref next);
        return rightInner is { } right ? (Node(extra, right.Old), Node(extra, right.New)) : null;
    }

    private static List<byte[]> SubProof(int m, IReadOnlyList<byte[]> leaves, bool leftEdge)
    {
        var n = leaves.Count;
        if (m == n)
        {
            return leftEdge ? [] : [Root(leaves)];
        }

        var k = Split(n);
        if (m <= k)
        {
            var proof = SubProof(m, Slice(leaves, 0, k), leftEdge);
            proof.Add(Root(Slice(leaves, k, n)));
            return proof;
        }
        else
        {
            var proof = SubProof(m - k, Slice(leaves, k, n), false);
            proof.Add(Root(Slice(leaves, 0, k)));
            return proof;
        }
    }

    // The largest power of two smaller than n (n > 1).
    private static int Split(int n)
    {
        var k = 1;
        while (k * 2 < n)
        {
            k *= 2;
        }

        return k;
    }

    private static byte[][] Slice(IReadOnlyList<byte[]> items, int from, int to) => [.. items.Skip(from).Take(to - from)];
}
