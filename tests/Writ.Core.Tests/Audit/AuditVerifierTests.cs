using System.Text;
using CsCheck;
using Writ.Core.Audit;

namespace Writ.Core.Tests.Audit;

public sealed class AuditVerifierTests
{
    private static readonly int[] EveryTen = [10, 20, 30, 40, 50];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IntactLog_Verifies()
    {
        using var log = new TestLog(55, EveryTen);
        var reports = new List<long>();

        var result = await AuditVerifier.VerifyLeavesAsync(TestLog.Stream(log.Leaves()), log.Input(expectedTreeSize: 55, progress: new SyncProgress(reports)), Token);

        Assert.True(result.Verified, result.Fault?.Message);
        Assert.Equal(55, result.TreeSize);
        Assert.Equal(5, result.CheckpointsMatched);
        Assert.Equal(50, result.LatestCheckpointSize);
        Assert.Equal(5, result.UnsignedRecords);
        Assert.Equal(ReferenceMerkle.Root([.. log.Canonical.Select(ReferenceMerkle.Leaf)]), result.RootHash);
        Assert.Equal([10, 20, 30, 40, 50, 55], reports);
        Assert.True(ReferenceLogVerifier.Verify(log.Canonical, log.Notes, log.Key.VerifierKey.ToString()));
    }

    [Fact]
    public async Task RecordValues_VerifyLikeTheirBytes()
    {
        using var log = new TestLog(23, [7, 23]);

        var result = await AuditVerifier.VerifyAsync(TestLog.Stream(log.Records), log.Input(), Token);

        Assert.True(result.Verified, result.Fault?.Message);
        Assert.Equal(2, result.CheckpointsMatched);
    }

    [Fact]
    public async Task EmptyLog_Verifies()
    {
        using var log = new TestLog(0, [0]);

        var result = await AuditVerifier.VerifyLeavesAsync(TestLog.Stream(log.Leaves()), log.Input(expectedTreeSize: 0), Token);

        Assert.True(result.Verified, result.Fault?.Message);
        Assert.Equal(MerkleHash.EmptyRoot(), result.RootHash);
    }

    [Fact]
    public async Task EditedRecord_WithItsStoredHash_IsReportedAtItsSequence()
    {
        using var log = new TestLog(55, EveryTen);
        var leaves = log.Leaves();
        leaves[23] = leaves[23] with { Canonical = Edit(log.Canonical[23]) };

        var fault = await FaultOf(log, leaves);

        Assert.Equal(AuditFaultKind.Edited, fault.Kind);
        Assert.Equal(23, fault.Sequence);
        Assert.Null(fault.UpTo);
    }

    [Fact]
    public async Task EditedRecord_WithRewrittenHash_IsReportedAsItsCheckpointInterval()
    {
        using var log = new TestLog(55, EveryTen);
        var leaves = log.Leaves(withStoredHashes: false);
        leaves[23] = leaves[23] with { Canonical = Edit(log.Canonical[23]) };

        var fault = await FaultOf(log, leaves);

        Assert.Equal(AuditFaultKind.Edited, fault.Kind);
        Assert.Equal(20, fault.Sequence);
        Assert.Equal(30, fault.UpTo);
        Assert.False(ReferenceLogVerifier.Verify([.. leaves.Select(l => l.Canonical.ToArray())], log.Notes, log.Key.VerifierKey.ToString()));
    }

    [Fact]
    public async Task EditedRecord_WithCheckpointPerRecord_IsReportedExactly()
    {
        using var log = new TestLog(12, Enumerable.Range(1, 12));
        var leaves = log.Leaves(withStoredHashes: false);
        leaves[8] = leaves[8] with { Canonical = Edit(log.Canonical[8]) };

        var fault = await FaultOf(log, leaves);

        Assert.Equal((AuditFaultKind.Edited, 8L, 9L), (fault.Kind, fault.Sequence, fault.UpTo));
    }

    [Fact]
    public async Task NonCanonicalRecord_IsReportedAsEdited()
    {
        using var log = new TestLog(30, EveryTen);
        var leaves = log.Leaves(withStoredHashes: false);
        var spaced = Encoding.UTF8.GetString(log.Canonical[4]).Replace(",", ", ", StringComparison.Ordinal);
        leaves[4] = leaves[4] with { Canonical = Encoding.UTF8.GetBytes(spaced) };

        var fault = await FaultOf(log, leaves);

        Assert.Equal((AuditFaultKind.Edited, 4L), (fault.Kind, fault.Sequence));
    }

    [Fact]
    public async Task DeletedRecord_IsReportedAtItsSequence()
    {
        using var log = new TestLog(55, EveryTen);
        var leaves = log.Leaves();
        leaves.RemoveAt(17);

        var fault = await FaultOf(log, leaves);

        Assert.Equal((AuditFaultKind.Deleted, 17L), (fault.Kind, fault.Sequence));
    }

    [Fact]
    public async Task DeletedRange_IsReportedAtItsFirstSequence()
    {
        using var log = new TestLog(55, EveryTen);
        var leaves = log.Leaves();
        leaves.RemoveRange(31, 4);

        var fault = await FaultOf(log, leaves);

        Assert.Equal((AuditFaultKind.Deleted, 31L), (fault.Kind, fault.Sequence));
        Assert.Contains("31 to 34", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SwappedRecords_AreReportedAsReordered()
    {
        using var log = new TestLog(55, EveryTen);
        var leaves = log.Leaves();
        (leaves[5], leaves[6]) = (leaves[6], leaves[5]);

        var fault = await FaultOf(log, leaves);

        Assert.Equal((AuditFaultKind.Reordered, 5L), (fault.Kind, fault.Sequence));
    }

    [Fact]
    public async Task RecordMovedEarlier_IsReportedAsReordered()
    {
        using var log = new TestLog(55, EveryTen);
        var leaves = log.Leaves();
        var moved = leaves[40];
        leaves.RemoveAt(40);
        leaves.Insert(12, moved);

        var fault = await FaultOf(log, leaves);

        Assert.Equal((AuditFaultKind.Reordered, 12L), (fault.Kind, fault.Sequence));
    }

    [Fact]
    public async Task InsertedForgery_ThatPushesTheRestBack_IsReportedAsInserted()
    {
        using var log = new TestLog(55, EveryTen);
        var leaves = log.Leaves();
        var forged = AuditRecordEncoding.Encode(TestLog.Make(26) with { Decision = "allow", Reason = "forged" });
        leaves.Insert(26, new AuditLeaf(forged, MerkleHash.HashLeaf(forged)));

        var fault = await FaultOf(log, leaves);

        Assert.Equal((AuditFaultKind.Inserted, 26L), (fault.Kind, fault.Sequence));
    }

    [Fact]
    public async Task InsertedForgery_JustBeforeACheckpoint_IsStillReportedAsInserted()
    {
        using var log = new TestLog(55, EveryTen);
        var leaves = log.Leaves();
        var forged = AuditRecordEncoding.Encode(TestLog.Make(29) with { Reason = "forged" });
        leaves.Insert(29, new AuditLeaf(forged, MerkleHash.HashLeaf(forged)));

        var fault = await FaultOf(log, leaves);

        Assert.Equal((AuditFaultKind.Inserted, 29L), (fault.Kind, fault.Sequence));
    }

    [Fact]
    public async Task DuplicatedRecord_IsReportedAsInserted()
    {
        using var log = new TestLog(55, EveryTen);
        var leaves = log.Leaves();
        leaves.Insert(9, leaves[8]);

        var fault = await FaultOf(log, leaves);

        Assert.Equal((AuditFaultKind.Inserted, 8L), (fault.Kind, fault.Sequence));
    }

    [Fact]
    public async Task TruncatedLog_IsReportedAtTheFirstMissingSequence()
    {
        using var log = new TestLog(55, EveryTen);
        var leaves = log.Leaves().Take(44).ToList();

        var fault = await FaultOf(log, leaves);

        Assert.Equal((AuditFaultKind.Truncated, 44L), (fault.Kind, fault.Sequence));
    }

    [Fact]
    public async Task UnsignedTailCut_IsCaughtOnlyByTheHead()
    {
        using var log = new TestLog(55, EveryTen);
        var leaves = log.Leaves().Take(52).ToList();

        Assert.True((await AuditVerifier.VerifyLeavesAsync(TestLog.Stream(leaves), log.Input(), Token)).Verified);
        var fault = (await AuditVerifier.VerifyLeavesAsync(TestLog.Stream(leaves), log.Input(expectedTreeSize: 55), Token)).Fault;

        Assert.Equal((AuditFaultKind.Truncated, 52L), (fault!.Kind, fault.Sequence));
    }

    [Fact]
    public async Task RecordsBeyondTheHead_AreReportedAsInserted()
    {
        using var log = new TestLog(55, EveryTen);

        var fault = (await AuditVerifier.VerifyLeavesAsync(TestLog.Stream(log.Leaves()), log.Input(expectedTreeSize: 53), Token)).Fault;

        Assert.Equal((AuditFaultKind.Inserted, 53L), (fault!.Kind, fault.Sequence));
    }

    [Fact]
    public async Task TamperedCheckpoint_IsReported()
    {
        using var log = new TestLog(55, EveryTen);
        log.Notes[2] = log.Notes[2].Replace("\n30\n", "\n31\n", StringComparison.Ordinal);

        var fault = await FaultOf(log, log.Leaves());

        Assert.Equal((AuditFaultKind.CheckpointInvalid, 31L), (fault.Kind, fault.Sequence));
    }

    [Fact]
    public async Task CheckpointByAnotherKey_IsReported()
    {
        using var log = new TestLog(55, EveryTen);
        using var other = AuditSigningKey.Generate(TestLog.Origin);
        log.Notes.Add(other.SignCheckpoint(new Checkpoint(TestLog.Origin, 55, new byte[32])));

        var fault = await FaultOf(log, log.Leaves());

        Assert.Equal((AuditFaultKind.CheckpointInvalid, 55L), (fault.Kind, fault.Sequence));
    }

    [Fact]
    public async Task ForkedCheckpoints_AreReported()
    {
        using var log = new TestLog(55, EveryTen);
        log.Notes.Add(log.Key.SignCheckpoint(new Checkpoint(TestLog.Origin, 20, new byte[32])));

        var fault = await FaultOf(log, log.Leaves());

        Assert.Equal((AuditFaultKind.CheckpointsInconsistent, 20L), (fault.Kind, fault.Sequence));
    }

    [Fact]
    public async Task SignedRootThatDoesNotMatchTheRecords_IsReported()
    {
        using var log = new TestLog(55, EveryTen);
        log.Notes.Add(log.Key.SignCheckpoint(new Checkpoint(TestLog.Origin, 35, new byte[32])));

        var fault = await FaultOf(log, log.Leaves());

        Assert.Equal((AuditFaultKind.Edited, 30L, 35L), (fault.Kind, fault.Sequence, fault.UpTo));
    }

    [Fact]
    public async Task PrunedLog_VerifiesFromItsFrontier()
    {
        using var log = new TestLog(55, EveryTen);
        var pruned = FrontierOf(log, 30);

        var result = await AuditVerifier.VerifyLeavesAsync(TestLog.Stream(log.Leaves().Skip(30)), log.Input(expectedTreeSize: 55, pruned: pruned), Token);

        Assert.True(result.Verified, result.Fault?.Message);
        Assert.Equal((30L, 25L, 55L), (result.PrunedBefore, result.RecordsChecked, result.TreeSize));
        Assert.Equal(3, result.CheckpointsMatched);
        Assert.Equal(2, result.CheckpointsSignatureOnly);
    }

    [Fact]
    public async Task PrunedFrontier_NotMatchingItsCheckpoint_IsReported()
    {
        using var log = new TestLog(55, EveryTen);
        var pruned = FrontierOf(log, 29);
        pruned.Append(new byte[32]);

        var fault = (await AuditVerifier.VerifyLeavesAsync(TestLog.Stream(log.Leaves().Skip(30)), log.Input(pruned: pruned), Token)).Fault;

        Assert.Equal((AuditFaultKind.PrunedFrontierInvalid, 30L), (fault!.Kind, fault.Sequence));
    }

    [Fact]
    public async Task PrunedFrontier_WithoutCheckpoint_IsReported()
    {
        using var log = new TestLog(55, EveryTen);

        var fault = (await AuditVerifier.VerifyLeavesAsync(TestLog.Stream(log.Leaves().Skip(25)), log.Input(pruned: FrontierOf(log, 25)), Token)).Fault;

        Assert.Equal((AuditFaultKind.PrunedFrontierInvalid, 25L), (fault!.Kind, fault.Sequence));
    }

    [Fact]
    public async Task EditAfterPruning_IsReported()
    {
        using var log = new TestLog(55, EveryTen);
        var leaves = log.Leaves().Skip(30).ToList();
        leaves[12] = leaves[12] with { Canonical = Edit(log.Canonical[42]) };

        var fault = (await AuditVerifier.VerifyLeavesAsync(TestLog.Stream(leaves), log.Input(pruned: FrontierOf(log, 30)), Token)).Fault;

        Assert.Equal((AuditFaultKind.Edited, 42L), (fault!.Kind, fault.Sequence));
    }

    [Fact]
    public void RandomMutations_AreRejectedByBothVerifiers_AndIntactLogsAcceptedByBoth()
    {
        var cases =
            from count in Gen.Int[1, 60]
            from every in Gen.Int[1, 12]
            from kind in Gen.Int[0, 4]
            from at in Gen.Int[0, count - 1]
            select (count, every, kind, at);
        cases.Sample(c =>
        {
            using var log = new TestLog(c.count, Enumerable.Range(1, c.count).Where(s => s % c.every == 0 || s == c.count));
            var key = log.Key.VerifierKey.ToString();
            var intact = AuditVerifier.VerifyLeavesAsync(TestLog.Stream(log.Leaves(false)), log.Input(), CancellationToken.None).GetAwaiter().GetResult();
            Assert.True(intact.Verified);
            Assert.True(ReferenceLogVerifier.Verify(log.Canonical, log.Notes, key));

            var mutated = log.Canonical.ToList();
            switch (c.kind)
            {
                case 0: mutated[c.at] = Edit(mutated[c.at]); break;
                case 1: mutated.RemoveAt(c.at); break;
                case 2 when c.at + 1 < c.count: (mutated[c.at], mutated[c.at + 1]) = (mutated[c.at + 1], mutated[c.at]); break;
                case 2: mutated.RemoveAt(c.at); break;
                case 3: mutated.Insert(c.at, AuditRecordEncoding.Encode(TestLog.Make(c.at) with { Reason = "forged" })); break;
                default: mutated.RemoveRange(c.at, c.count - c.at); break;
            }

            var result = AuditVerifier.VerifyLeavesAsync(TestLog.Stream(mutated.Select(m => new AuditLeaf(m, ReadOnlyMemory<byte>.Empty))), log.Input(), CancellationToken.None).GetAwaiter().GetResult();
            Assert.False(result.Verified);
            Assert.True(result.Fault!.Sequence <= c.at, $"fault at {result.Fault.Sequence} after the mutation at {c.at}: {result.Fault.Message}");
            Assert.False(ReferenceLogVerifier.Verify(mutated, log.Notes, key));
        }, iter: 300);
    }

    private static async Task<AuditFault> FaultOf(TestLog log, List<AuditLeaf> leaves)
    {
        var result = await AuditVerifier.VerifyLeavesAsync(TestLog.Stream(leaves), log.Input(), Token);
        Assert.False(result.Verified);
        return result.Fault!;
    }

    private static MerkleFrontier FrontierOf(TestLog log, int size)
    {
        var frontier = new MerkleFrontier();
        foreach (var bytes in log.Canonical.Take(size))
        {
            frontier.Append(MerkleHash.HashLeaf(bytes));
        }

        return frontier;
    }

    private static byte[] Edit(byte[] canonical)
    {
        var record = AuditRecordEncoding.Decode(canonical);
        return AuditRecordEncoding.Encode(record with { Decision = record.Decision == "allow" ? "deny" : "allow" });
    }

    private sealed class SyncProgress(List<long> reports) : IProgress<long>
    {
        public void Report(long value) => reports.Add(value);
    }
}
