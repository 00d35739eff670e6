using CsCheck;
using Writ.Core.Audit;

namespace Writ.Core.Tests.Audit;

public sealed class MerkleTests
{
    // The RFC 6962 reference inputs of certificate-transparency's Merkle tree tests.
    private static readonly byte[][] CtInputs =
    [
        [],
        [0x00],
        [0x10],
        [0x20, 0x21],
        [0x30, 0x31],
        [0x40, 0x41, 0x42, 0x43],
        [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
        [0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f],
    ];

    private static readonly string[] CtRoots =
    [
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    private static List<byte[]> CtLeaves => [.. CtInputs.Select(input => MerkleHash.HashLeaf(input))];

    [Fact]
    public void Frontier_MatchesReferenceRoots_ForEverySize()
    {
        var frontier = new MerkleFrontier();
        Assert.Equal(CtRoots[0], Convert.ToHexStringLower(frontier.Root()));
        for (var n = 1; n <= CtInputs.Length; n++)
        {
            frontier.Append(MerkleHash.HashLeaf(CtInputs[n - 1]));
            Assert.Equal(n, frontier.Size);
            Assert.Equal(CtRoots[n], Convert.ToHexStringLower(frontier.Root()));
            Assert.Equal(CtRoots[n], Convert.ToHexStringLower(ReferenceMerkle.Root([.. CtInputs.Take(n).Select(ReferenceMerkle.Leaf)])));
        }
    }

    [Theory]
    [InlineData(0, 8, "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7,5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e,6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")]
    [InlineData(5, 8, "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b,ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0,d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]
    [InlineData(2, 3, "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]
    [InlineData(1, 5, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d,5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e,bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")]
    [InlineData(0, 1, "")]
    public async Task InclusionProof_MatchesReferenceVector(int index, int size, string expected)
    {
        var source = new LeafRangeSubtreeSource(new MemoryLeaves(CtLeaves), chunkLeaves: 3);
        var proof = await MerkleProofs.CreateInclusionProofAsync(source, index, size, TestContext.Current.CancellationToken);

        Assert.Equal(expected, string.Join(',', proof.Select(Convert.ToHexStringLower)));
        Assert.True(MerkleProofs.VerifyInclusion(index, size, CtLeaves[index], proof, Convert.FromHexString(CtRoots[size])));
    }

    [Theory]
    [InlineData(1, 8, "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7,5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e,6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")]
    [InlineData(2, 5, "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e,bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")]
    [InlineData(8, 8, "")]
    public async Task ConsistencyProof_MatchesReferenceVector(int first, int second, string expected)
    {
        var source = new LeafRangeSubtreeSource(new MemoryLeaves(CtLeaves));
        var proof = await MerkleProofs.CreateConsistencyProofAsync(source, first, second, TestContext.Current.CancellationToken);

        Assert.Equal(expected, string.Join(',', proof.Select(Convert.ToHexStringLower)));
        Assert.True(MerkleProofs.VerifyConsistency(first, second, Convert.FromHexString(CtRoots[first]), Convert.FromHexString(CtRoots[second]), proof));
    }

    [Fact]
    public void Frontier_RoundTripsThroughBytes_AndKeepsAppending()
    {
        Gen.Int[0, 300].Sample(n =>
        {
            var leaves = MemoryLeaves.Make(n + 5, n);
            var frontier = new MerkleFrontier();
            foreach (var leaf in leaves.Take(n))
            {
                frontier.Append(leaf);
            }

            var restored = MerkleFrontier.FromBytes(frontier.ToBytes());
            Assert.Equal(n, restored.Size);
            Assert.Equal(ReferenceMerkle.Root(leaves.Take(n).ToList()), restored.Root());
            foreach (var leaf in leaves.Skip(n))
            {
                restored.Append(leaf);
            }

            Assert.Equal(ReferenceMerkle.Root(leaves), restored.Root());
        }, iter: 200);
    }

    [Theory]
    [InlineData("")]
    [InlineData("02000000000000000000")]
    [InlineData("010000000000000001")]
    [InlineData("01ffffffffffffffff")]
    [InlineData("0100000000000000000000")]
    public void MalformedFrontier_IsRejected(string hex) =>
        Assert.Throws<FormatException>(() => MerkleFrontier.FromBytes(Convert.FromHexString(hex)));

    [Fact]
    public void EveryInclusionProof_VerifiesInBothImplementations_AndAnyFlippedBitFails()
    {
        Gen.Int[1, 200].SelectMany(n => Gen.Int[0, n - 1].Select(i => (n, i))).Sample(c =>
        {
            var leaves = MemoryLeaves.Make(c.n, c.n);
            var root = ReferenceMerkle.Root(leaves);
            var proof = MerkleProofs.CreateInclusionProofAsync(new LeafRangeSubtreeSource(new MemoryLeaves(leaves), 16), c.i, c.n, CancellationToken.None).GetAwaiter().GetResult();

            Assert.Equal(ReferenceMerkle.Path(c.i, leaves), proof);
            Assert.True(MerkleProofs.VerifyInclusion(c.i, c.n, leaves[c.i], proof, root));
            Assert.True(ReferenceMerkle.VerifyInclusion(c.i, c.n, leaves[c.i], proof, root));

            for (var element = 0; element < proof.Count; element++)
            {
                var bit = (c.i + element) % 256;
                var tampered = proof.Select(p => (byte[])p.Clone()).ToList();
                tampered[element][bit / 8] ^= (byte)(1 << (bit % 8));
                Assert.False(MerkleProofs.VerifyInclusion(c.i, c.n, leaves[c.i], tampered, root));
                Assert.False(ReferenceMerkle.VerifyInclusion(c.i, c.n, leaves[c.i], tampered, root));
            }

            var badLeaf = (byte[])leaves[c.i].Clone();
            badLeaf[c.n % 32] ^= 0x80;
            Assert.False(MerkleProofs.VerifyInclusion(c.i, c.n, badLeaf, proof, root));
            if (c.n > 1)
            {
                Assert.False(MerkleProofs.VerifyInclusion((c.i + 1) % c.n, c.n, leaves[c.i], proof, root));
            }

            Assert.False(MerkleProofs.VerifyInclusion(c.i, c.n, leaves[c.i], [.. proof, root], root));
        }, iter: 300);
    }

    [Fact]
    public void EveryConsistencyProof_VerifiesInBothImplementations_AndAnyFlippedBitFails()
    {
        Gen.Int[1, 200].SelectMany(n => Gen.Int[0, n].Select(m => (m, n))).Sample(c =>
        {
            var leaves = MemoryLeaves.Make(c.n, c.m + c.n);
            var oldRoot = ReferenceMerkle.Root(leaves.Take(c.m).ToList());
            var newRoot = ReferenceMerkle.Root(leaves);
            var proof = MerkleProofs.CreateConsistencyProofAsync(new LeafRangeSubtreeSource(new MemoryLeaves(leaves), 7), c.m, c.n, CancellationToken.None).GetAwaiter().GetResult();

            Assert.Equal(ReferenceMerkle.Consistency(c.m, leaves), proof);
            Assert.True(MerkleProofs.VerifyConsistency(c.m, c.n, oldRoot, newRoot, proof));
            Assert.True(ReferenceMerkle.VerifyConsistency(c.m, c.n, oldRoot, newRoot, proof));

            for (var element = 0; element < proof.Count; element++)
            {
                var bit = (c.m * 31 + element) % 256;
                var tampered = proof.Select(p => (byte[])p.Clone()).ToList();
                tampered[element][bit / 8] ^= (byte)(1 << (bit % 8));
                Assert.False(MerkleProofs.VerifyConsistency(c.m, c.n, oldRoot, newRoot, tampered));
                Assert.False(ReferenceMerkle.VerifyConsistency(c.m, c.n, oldRoot, newRoot, tampered));
            }

            // Every tree extends the empty tree, so only a non-empty first tree constrains the roots.
            if (c.m > 0)
            {
                var otherNew = (byte[])newRoot.Clone();
                otherNew[5] ^= 1;
                Assert.False(MerkleProofs.VerifyConsistency(c.m, c.n, oldRoot, otherNew, proof));
                var otherOld = (byte[])oldRoot.Clone();
                otherOld[7] ^= 1;
                Assert.False(MerkleProofs.VerifyConsistency(c.m, c.n, otherOld, newRoot, proof));
            }

            if (c.m > 0 && c.m < c.n)
            {
                Assert.False(MerkleProofs.VerifyConsistency(c.m, c.n, oldRoot, newRoot, proof.Take(proof.Count - 1).ToList()));
            }
        }, iter: 300);
    }

    [Fact]
    public void ProofArguments_OutOfRange_AreRejected()
    {
        var leaf = MerkleHash.HashLeaf([1]);
        Assert.False(MerkleProofs.VerifyInclusion(1, 1, leaf, [], leaf));
        Assert.False(MerkleProofs.VerifyInclusion(-1, 1, leaf, [], leaf));
        Assert.False(MerkleProofs.VerifyInclusion(0, 1, leaf, [], new byte[31]));
        Assert.False(MerkleProofs.VerifyConsistency(2, 1, leaf, leaf, []));
        Assert.False(MerkleProofs.VerifyConsistency(1, 2, leaf, leaf, []));
        Assert.True(MerkleProofs.VerifyInclusion(0, 1, leaf, [], leaf));
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleProofs.InclusionRanges(3, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleProofs.ConsistencyRanges(4, 3));
    }
}
