using System.Globalization;
using Writ.Core.Audit;
using Writ.Core.Keys;
using Writ.Core.Storage;

namespace Writ.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task AuditLog_EightConcurrentWriters_EveryRecordDurableInOrderWithoutGaps_AndTheLogVerifies()
    {
        using var rootKey = RootKey.Generate();
        await using var log = new AuditLogService(Store.Audit, rootKey, "writ.test/audit", new AuditOptions(), TimeProvider.System);
        const int Writers = 8;
        const int PerWriter = 60;

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(
            async () =>
            {
                for (var n = 0; n < PerWriter; n++)
                {
                    await log.RecordDurableAsync(WriterEvent(w, n), Ct);
                }
            },
            Ct)));

        // Durable means stored now, before the log is stopped.
        var records = new List<AuditRecord>();
        await foreach (var row in Store.Audit.ReadAsync(0, long.MaxValue, Ct))
        {
            records.Add(AuditRecordEncoding.Decode(row.Canonical));
            Assert.Equal(MerkleHash.HashLeaf(row.Canonical), row.LeafHash);
        }

        Assert.Equal(Enumerable.Range(0, Writers * PerWriter).Select(i => (long)i), records.Select(r => r.Sequence));
        foreach (var writer in records.GroupBy(r => r.Target))
        {
            Assert.Equal(Enumerable.Range(0, PerWriter).Select(n => n.ToString(CultureInfo.InvariantCulture)), writer.Select(r => r.Detail!["n"]));
        }

        await log.StopAsync(Ct);
        var verification = await AuditStoreVerifier.VerifyAsync(Store.Audit, null, [], null, Ct);
        Assert.True(verification.Result.Verified, verification.Result.Fault?.ToString());
        Assert.Equal(Writers * PerWriter, verification.Result.TreeSize);
        Assert.Equal(Writers * PerWriter, (await Store.Audit.GetLatestCheckpointAsync(Ct))!.TreeSize);
    }

    [Fact]
    public async Task AuditLog_QueuedRecords_AreDurableOnceTheLogStops()
    {
        using var rootKey = RootKey.Generate();
        var log = new AuditLogService(Store.Audit, rootKey, "writ.test/audit", new AuditOptions { FlushWindow = TimeSpan.FromMilliseconds(50) }, TimeProvider.System);
        for (var n = 0; n < 100; n++)
        {
            await log.RecordAsync(WriterEvent(0, n), Ct);
        }

        await log.DisposeAsync();

        Assert.Equal(100, (await Store.Audit.GetHeadAsync(Ct)).TreeSize);
        Assert.Equal(100, (await Store.Audit.GetLatestCheckpointAsync(Ct))!.TreeSize);
        await Assert.ThrowsAsync<AuditUnavailableException>(() => log.RecordDurableAsync(WriterEvent(0, 100), Ct));
    }

    [Fact]
    public async Task AuditLogs_InTwoProcesses_ShareOneKey_AndInterleaveIntoOneVerifiableLog()
    {
        using var rootKey = RootKey.Generate();
        await using var otherStore = await OpenSameDatabaseAsync();
        var first = new AuditLogService(Store.Audit, rootKey, "writ.test/audit", new AuditOptions(), TimeProvider.System);
        var second = new AuditLogService(otherStore.Audit, rootKey, "writ.test/audit", new AuditOptions(), TimeProvider.System);

        await Task.WhenAll(
            Task.Run(async () => { for (var n = 0; n < 40; n++) { await first.RecordDurableAsync(WriterEvent(1, n), Ct); } }, Ct),
            Task.Run(async () => { for (var n = 0; n < 40; n++) { await second.RecordDurableAsync(WriterEvent(2, n), Ct); } }, Ct));
        await first.DisposeAsync();
        await second.DisposeAsync();

        Assert.NotNull(await Store.Audit.GetSigningKeyAsync(Ct));
        var verification = await AuditStoreVerifier.VerifyAsync(Store.Audit, null, [], null, Ct);
        Assert.True(verification.Result.Verified, verification.Result.Fault?.ToString());
        Assert.Equal(80, verification.Result.TreeSize);
    }

    [Fact]
    public async Task AuditReader_InclusionAndConsistencyProofs_VerifyAgainstSignedCheckpoints()
    {
        using var rootKey = RootKey.Generate();
        var log = new AuditLogService(Store.Audit, rootKey, "writ.test/audit", new AuditOptions { CheckpointEvery = 7 }, TimeProvider.System);
        for (var n = 0; n < 30; n++)
        {
            await log.RecordDurableAsync(WriterEvent(0, n), Ct);
        }

        var key = await log.GetVerifierKeyAsync(Ct);
        await log.DisposeAsync();
        var reader = new AuditReader(Store.Audit);

        var shown = await reader.GetWithProofAsync(11, Ct);
        Assert.NotNull(shown);
        var checkpoint = Writ.Core.Audit.Checkpoint.Verify(shown.Checkpoint!.Note, key);
        Assert.Equal(30, checkpoint.TreeSize);
        Assert.True(MerkleProofs.VerifyInclusion(11, 30, shown.Entry.LeafHash, shown.InclusionProof!, checkpoint.RootHash.Span));

        var older = (await Store.Audit.ListCheckpointsAsync(30, 1, Ct)).Single();
        var olderCheckpoint = Writ.Core.Audit.Checkpoint.Verify(older.Note, key);
        var proof = await reader.GetConsistencyProofAsync(older.TreeSize, 30, Ct);
        Assert.True(MerkleProofs.VerifyConsistency(older.TreeSize, 30, olderCheckpoint.RootHash.Span, checkpoint.RootHash.Span, proof));
        Assert.Null(await reader.GetWithProofAsync(30, Ct));
    }

    [Fact]
    public async Task AuditReader_AfterPruning_StillProvesRetainedRecords()
    {
        using var rootKey = RootKey.Generate();
        var log = new AuditLogService(Store.Audit, rootKey, "writ.test/audit", new AuditOptions { CheckpointEvery = 1 }, TimeProvider.System);
        for (var n = 0; n < 21; n++)
        {
            await log.RecordDurableAsync(WriterEvent(0, n), Ct);
        }

        var key = await log.GetVerifierKeyAsync(Ct);
        await log.DisposeAsync();
        var frontier = new MerkleFrontier();
        foreach (var leaf in await Store.Audit.GetLeafHashesAsync(0, 13, Ct))
        {
            frontier.Append(leaf);
        }

        await Store.Audit.PruneAsync(13, frontier.ToBytes(), Ct);
        var reader = new AuditReader(Store.Audit);

        var shown = await reader.GetWithProofAsync(17, Ct);
        var checkpoint = Writ.Core.Audit.Checkpoint.Verify(shown!.Checkpoint!.Note, key);
        Assert.True(MerkleProofs.VerifyInclusion(17, checkpoint.TreeSize, shown.Entry.LeafHash, shown.InclusionProof!, checkpoint.RootHash.Span));
        Assert.Null(await reader.GetWithProofAsync(3, Ct));
        var verification = await AuditStoreVerifier.VerifyAsync(Store.Audit, key, [], null, Ct);
        Assert.True(verification.Result.Verified, verification.Result.Fault?.ToString());
    }

    [Fact]
    public async Task AuditLog_WithFlushWindowZero_RecordAsyncReturnsOnlyOnceDurable()
    {
        using var rootKey = RootKey.Generate();
        await using var log = new AuditLogService(Store.Audit, rootKey, "writ.test/audit", new AuditOptions { FlushWindow = TimeSpan.Zero }, TimeProvider.System);

        await log.RecordAsync(WriterEvent(0, 0), Ct);
        await log.RecordAsync(WriterEvent(0, 1), Ct);

        Assert.Equal(2, (await Store.Audit.GetHeadAsync(Ct)).TreeSize);
    }

    [Fact]
    public async Task AuditLog_WhileAnotherProcessHoldsTheSequencerLock_FullQueueIsRefused_ThenEverythingAcceptedCommitsInOrder()
    {
        using var rootKey = RootKey.Generate();
        await using var other = await OpenSameDatabaseAsync();
        await using var log = new AuditLogService(Store.Audit, rootKey, "writ.test/audit", new AuditOptions { MaxBatch = 1, QueueCapacity = 2 }, TimeProvider.System);
        await log.EnsureStartedAsync(Ct);
        using var locked = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();

        var blocker = HoldSequencerLock(other, locked, release);
        Assert.True(locked.Wait(TimeSpan.FromSeconds(60), Ct));

        var durable = log.RecordDurableAsync(WriterEvent(0, 0), Ct);
        var accepted = 0;
        AuditUnavailableException? refused = null;
        for (var n = 1; n <= 5 && refused is null; n++)
        {
            try
            {
                await log.RecordAsync(WriterEvent(0, n), Ct);
                accepted++;
            }
            catch (AuditUnavailableException ex)
            {
                refused = ex;
            }
        }

        release.Set();
        await blocker;
        await durable;
        await log.StopAsync(Ct);

        Assert.NotNull(refused);
        Assert.Contains("full", refused.Message, StringComparison.Ordinal);
        var records = new List<AuditRecord>();
        await foreach (var row in Store.Audit.ReadAsync(0, long.MaxValue, Ct))
        {
            records.Add(AuditRecordEncoding.Decode(row.Canonical));
        }

        Assert.Equal(2 + accepted, records.Count);
        Assert.Equal("w9", records[0].Target);
        Assert.Equal(Enumerable.Range(0, accepted + 1).Select(n => n.ToString(CultureInfo.InvariantCulture)), records.Skip(1).Select(r => r.Detail!["n"]));
        Assert.True((await AuditStoreVerifier.VerifyAsync(Store.Audit, null, [], null, Ct)).Result.Verified);
    }

    [Fact]
    public async Task AuditLog_WhenNewRecordsAreRefusedAsFull_FollowUpRecordsStillFindRoom_AndWaitRatherThanBeLost()
    {
        using var rootKey = RootKey.Generate();
        await using var other = await OpenSameDatabaseAsync();
        var options = new AuditOptions { MaxBatch = 1, QueueCapacity = 8 };
        await using var log = new AuditLogService(Store.Audit, rootKey, "writ.test/audit", options, TimeProvider.System);
        await log.EnsureStartedAsync(Ct);
        using var locked = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var blocker = HoldSequencerLock(other, locked, release);
        Assert.True(locked.Wait(TimeSpan.FromSeconds(60), Ct));

        var accepted = 0;
        var refused = false;
        for (var n = 0; n < options.QueueCapacity && !refused; n++)
        {
            try
            {
                await log.RecordAsync(WriterEvent(0, n), Ct);
                accepted++;
            }
            catch (AuditUnavailableException)
            {
                refused = true;
            }
        }

        // The queue still has room, but it is kept for records of actions already carried out.
        Assert.True(refused);
        var followUps = Enumerable.Range(0, options.QueueCapacity).Select(n => log.RecordFollowUpAsync(WriterEvent(1, n), Ct).AsTask()).ToList();
        Assert.Contains(followUps, t => !t.IsCompleted);
        Assert.DoesNotContain(followUps, t => t.IsFaulted);

        release.Set();
        await blocker;
        await Task.WhenAll(followUps).WaitAsync(TimeSpan.FromSeconds(60), Ct);
        await log.StopAsync(Ct);

        var records = new List<AuditRecord>();
        await foreach (var row in Store.Audit.ReadAsync(0, long.MaxValue, Ct))
        {
            records.Add(AuditRecordEncoding.Decode(row.Canonical));
        }

        Assert.Equal(1 + accepted + options.QueueCapacity, records.Count);
        Assert.Equal(options.QueueCapacity, records.Count(r => r.Agent == WriterEvent(1, 0).Agent));
        Assert.True((await AuditStoreVerifier.VerifyAsync(Store.Audit, null, [], null, Ct)).Result.Verified);
    }

    // Another writer's batch sits inside the sequencer lock until released.
    private Task<AuditHead> HoldSequencerLock(IWritStore other, ManualResetEventSlim locked, ManualResetEventSlim release) =>
        Task.Run(
            () => other.Audit.AppendAsync(
                head =>
                {
                    locked.Set();
                    release.Wait(TimeSpan.FromSeconds(60));
                    var frontier = head.TreeSize == 0 ? new MerkleFrontier() : MerkleFrontier.FromBytes(head.Frontier);
                    var record = AuditRecord.Create(head.TreeSize, DateTimeOffset.UtcNow, WriterEvent(9, 0));
                    var canonical = AuditRecordEncoding.Encode(record);
                    frontier.Append(MerkleHash.HashLeaf(canonical));
                    return new AuditBatch([new StoredAuditRecord(record.Sequence, record.Time, record.Type, record.Agent, null, null, record.Decision, null, canonical, MerkleHash.HashLeaf(canonical))], frontier.ToBytes(), null);
                },
                Ct),
            Ct);

    private static AuditEvent WriterEvent(int writer, int n) => new()
    {
        Type = AuditEventTypes.Decision,
        Agent = "spiffe://writ.test/agent/w" + writer.ToString(CultureInfo.InvariantCulture),
        Target = "w" + writer.ToString(CultureInfo.InvariantCulture),
        Decision = n % 2 == 0 ? "allow" : "deny",
        Detail = new Dictionary<string, string> { ["n"] = n.ToString(CultureInfo.InvariantCulture) },
    };
}
