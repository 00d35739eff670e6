using System.Security.Cryptography;
using System.Text;
using Writ.Core.Audit;
using Writ.Core.Storage;

namespace Writ.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task AuditAppend_NumbersFromTheHead_AndRecordsReadBack()
    {
        Assert.Equal(0, (await Store.Audit.GetHeadAsync(Ct)).TreeSize);

        var first = await AppendAuditAsync(Store, 3);
        var second = await AppendAuditAsync(Store, 2, withCheckpoint: true);

        Assert.Equal(3, first.TreeSize);
        Assert.Equal(5, second.TreeSize);
        var head = await Store.Audit.GetHeadAsync(Ct);
        Assert.Equal(5, head.TreeSize);
        Assert.Equal(FrontierFor(5), head.Frontier);
        var all = await ReadAllAsync(Store, 0, 100);
        Assert.Equal([0L, 1, 2, 3, 4], all.Select(r => r.Sequence));
        var one = await Store.Audit.GetAsync(4, Ct);
        Assert.NotNull(one);
        Assert.Equal(CanonicalFor(4), one.Canonical);
        Assert.Equal(LeafFor(4), one.LeafHash);
        Assert.Equal(AuditTime(4), one.Time);
        Assert.Equal("identity.issued", one.Type);
        Assert.Equal("spiffe://writ.test/agent/a1", one.Agent);
        Assert.Null(await Store.Audit.GetAsync(5, Ct));
        Assert.Equal(5, (await Store.Audit.GetLatestCheckpointAsync(Ct))!.TreeSize);
    }

    [Fact]
    public async Task AuditBatchNotContinuingTheHead_IsRejected_AndNothingIsStored()
    {
        await AppendAuditAsync(Store, 2);

        await Assert.ThrowsAsync<ArgumentException>(() => Store.Audit.AppendAsync(
            head => new AuditBatch([AuditRow(head.TreeSize + 1)], FrontierFor(head.TreeSize + 2), null),
            Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.Audit.AppendAsync(
            head => new AuditBatch([AuditRow(head.TreeSize)], FrontierFor(head.TreeSize + 1), Checkpoint(head.TreeSize + 5)),
            Ct));

        Assert.Equal(2, (await Store.Audit.GetHeadAsync(Ct)).TreeSize);
        Assert.Equal(2, (await ReadAllAsync(Store, 0, 100)).Count);
        Assert.Null(await Store.Audit.GetLatestCheckpointAsync(Ct));
    }

    [Fact]
    public async Task AuditBuilderThatFails_LeavesTheHeadWhereItWas()
    {
        await AppendAuditAsync(Store, 1);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.Audit.AppendAsync(_ => throw new InvalidOperationException("signing failed"), Ct));

        Assert.Equal(1, (await Store.Audit.GetHeadAsync(Ct)).TreeSize);
        Assert.Equal(3, (await AppendAuditAsync(Store, 2)).TreeSize);
    }

    [Fact]
    public async Task AuditAppends_FromTwoStoresOnOneDatabase_InterleaveWithoutGapsOrDuplicates()
    {
        await using var other = await OpenSameDatabaseAsync();
        const int BatchesPerStore = 20;

        async Task RunAsync(IWritStore store)
        {
            for (var i = 0; i < BatchesPerStore; i++)
            {
                await AppendAuditAsync(store, 1 + (i % 3));
            }
        }

        await Task.WhenAll(Task.Run(() => RunAsync(Store), Ct), Task.Run(() => RunAsync(other), Ct));

        var expected = 2 * Enumerable.Range(0, BatchesPerStore).Sum(i => 1 + (i % 3));
        var head = await Store.Audit.GetHeadAsync(Ct);
        Assert.Equal(expected, head.TreeSize);
        Assert.Equal(FrontierFor(expected), head.Frontier);
        var all = await ReadAllAsync(other, 0, expected + 10);
        Assert.Equal(Enumerable.Range(0, expected).Select(i => (long)i), all.Select(r => r.Sequence));
        Assert.All(all, r => Assert.Equal(LeafFor(r.Sequence), r.LeafHash));
    }

    [Fact]
    public async Task AuditSearch_FiltersByEveryField_AndPagesBySequence()
    {
        await AppendAuditAsync(Store, 10);

        var byAgent = await Store.Audit.SearchAsync(new AuditQuery { Agent = "spiffe://writ.test/agent/a1" }, Ct);
        Assert.Equal([7L, 4, 1], byAgent.Select(r => r.Sequence));
        var byOwner = await Store.Audit.SearchAsync(new AuditQuery { Owner = "bob", NewestFirst = false }, Ct);
        Assert.Equal([1L, 3, 5, 7, 9], byOwner.Select(r => r.Sequence));
        Assert.Equal([2L], (await Store.Audit.SearchAsync(new AuditQuery { TaskId = "task-2" }, Ct)).Select(r => r.Sequence));
        Assert.Equal([9L, 6, 3, 0], (await Store.Audit.SearchAsync(new AuditQuery { Type = "admin.change" }, Ct)).Select(r => r.Sequence));
        Assert.Equal([8L, 5, 2], (await Store.Audit.SearchAsync(new AuditQuery { Decision = "refused" }, Ct)).Select(r => r.Sequence));
        Assert.Equal([9L, 6, 3, 0], (await Store.Audit.SearchAsync(new AuditQuery { Actor = "ops" }, Ct)).Select(r => r.Sequence));
        var window = await Store.Audit.SearchAsync(new AuditQuery { From = AuditTime(2), Until = AuditTime(5), NewestFirst = false }, Ct);
        Assert.Equal([2L, 3, 4], window.Select(r => r.Sequence));
        var combined = await Store.Audit.SearchAsync(new AuditQuery { Owner = "bob", Type = "identity.issued" }, Ct);
        Assert.Equal([7L, 5, 1], combined.Select(r => r.Sequence));

        var page1 = await Store.Audit.SearchAsync(new AuditQuery { Limit = 4 }, Ct);
        var page2 = await Store.Audit.SearchAsync(new AuditQuery { Limit = 4, Cursor = page1[^1].Sequence }, Ct);
        var forward = await Store.Audit.SearchAsync(new AuditQuery { Limit = 3, Cursor = 6, NewestFirst = false }, Ct);
        Assert.Equal([9L, 8, 7, 6], page1.Select(r => r.Sequence));
        Assert.Equal([5L, 4, 3, 2], page2.Select(r => r.Sequence));
        Assert.Equal([7L, 8, 9], forward.Select(r => r.Sequence));
        Assert.Empty(await Store.Audit.SearchAsync(new AuditQuery { Agent = "spiffe://writ.test/agent/nobody" }, Ct));
    }

    [Fact]
    public async Task AuditLeafHashes_AreReturnedInOrder_ForTheRangeThatExists()
    {
        await AppendAuditAsync(Store, 6);

        var hashes = await Store.Audit.GetLeafHashesAsync(2, 5, Ct);
        var beyond = await Store.Audit.GetLeafHashesAsync(4, 50, Ct);

        Assert.Equal([LeafFor(2), LeafFor(3), LeafFor(4)], hashes);
        Assert.Equal(2, beyond.Count);
    }

    [Fact]
    public async Task AuditCheckpoints_AreKeptBySize_ListedNewestFirst_AndNeverBeyondTheHead()
    {
        await AppendAuditAsync(Store, 2, withCheckpoint: true);
        await AppendAuditAsync(Store, 3);

        Assert.Equal(StoreOutcome.Success, (await Store.Audit.AddCheckpointAsync(Checkpoint(5), Ct)).Outcome);
        Assert.Equal(StoreOutcome.Success, (await Store.Audit.AddCheckpointAsync(Checkpoint(4), Ct)).Outcome);
        Assert.Equal(StoreOutcome.AlreadyExists, (await Store.Audit.AddCheckpointAsync(Checkpoint(5), Ct)).Outcome);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.Audit.AddCheckpointAsync(Checkpoint(6), Ct));

        var latest = await Store.Audit.GetLatestCheckpointAsync(Ct);
        Assert.NotNull(latest);
        Assert.Equal(5, latest.TreeSize);
        Assert.Equal(Checkpoint(5).RootHash, latest.RootHash);
        Assert.Equal(Checkpoint(5).Note, latest.Note);
        Assert.Equal(AuditTime(5), latest.SignedAt);
        Assert.Equal([5L, 4, 2], (await Store.Audit.ListCheckpointsAsync(null, 10, Ct)).Select(c => c.TreeSize));
        Assert.Equal([4L], (await Store.Audit.ListCheckpointsAsync(5, 1, Ct)).Select(c => c.TreeSize));
        Assert.Equal(4, (await Store.Audit.GetCheckpointAsync(4, Ct))!.TreeSize);
        Assert.Null(await Store.Audit.GetCheckpointAsync(3, Ct));
    }

    [Fact]
    public async Task AuditSigningKey_IsCreatedOnce_AndTheFirstOneWins()
    {
        Assert.Null(await Store.Audit.GetSigningKeyAsync(Ct));
        var first = new StoredAuditKey("writ.test+1", [1, 2, 3], [4, 5, 6], T0);
        var second = new StoredAuditKey("writ.test+2", [7], [8], T0.AddHours(1));

        var stored = await Store.Audit.GetOrAddSigningKeyAsync(first, Ct);
        var again = await Store.Audit.GetOrAddSigningKeyAsync(second, Ct);

        Assert.Equal("writ.test+1", stored.Name);
        Assert.Equal(first.PublicKey, again.PublicKey);
        Assert.Equal(first.ProtectedPrivateKey, again.ProtectedPrivateKey);
        Assert.Equal(T0, again.CreatedAt);
        Assert.Equal("writ.test+1", (await Store.Audit.GetSigningKeyAsync(Ct))!.Name);
    }

    [Fact]
    public async Task AuditPrune_DeletesBelowACheckpoint_AndKeepsItsFrontierAndCheckpoints()
    {
        await AppendAuditAsync(Store, 4, withCheckpoint: true);
        await AppendAuditAsync(Store, 3, withCheckpoint: true);

        var deleted = await Store.Audit.PruneAsync(4, FrontierFor(4), Ct);

        Assert.Equal(4, deleted);
        var head = await Store.Audit.GetHeadAsync(Ct);
        Assert.Equal(7, head.TreeSize);
        Assert.Equal(4, head.PrunedBefore);
        Assert.Equal(FrontierFor(4), head.PrunedFrontier);
        Assert.Equal([4L, 5, 6], (await ReadAllAsync(Store, 0, 100)).Select(r => r.Sequence));
        Assert.Null(await Store.Audit.GetAsync(2, Ct));
        Assert.Equal([7L, 4], (await Store.Audit.ListCheckpointsAsync(null, 10, Ct)).Select(c => c.TreeSize));
        Assert.Equal(8, (await AppendAuditAsync(Store, 1)).TreeSize);
    }

    [Fact]
    public async Task AuditPrune_WithoutACheckpointAtThatSize_IsRefused_AndDeletesNothing()
    {
        await AppendAuditAsync(Store, 4, withCheckpoint: true);
        await AppendAuditAsync(Store, 3);

        await Assert.ThrowsAsync<ArgumentException>(() => Store.Audit.PruneAsync(5, FrontierFor(5), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.Audit.PruneAsync(9, FrontierFor(9), Ct));
        await Store.Audit.PruneAsync(4, FrontierFor(4), Ct);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.Audit.PruneAsync(0, FrontierFor(0), Ct));

        Assert.Equal(3, (await ReadAllAsync(Store, 0, 100)).Count);
    }

    private static Task<AuditHead> AppendAuditAsync(IWritStore store, int count, bool withCheckpoint = false) =>
        store.Audit.AppendAsync(
            head =>
            {
                var records = Enumerable.Range(0, count).Select(i => AuditRow(head.TreeSize + i)).ToList();
                var size = head.TreeSize + count;
                return new AuditBatch(records, FrontierFor(size), withCheckpoint ? Checkpoint(size) : null);
            },
            Ct);

    private static async Task<List<StoredAuditRecord>> ReadAllAsync(IWritStore store, long from, long to)
    {
        var list = new List<StoredAuditRecord>();
        await foreach (var record in store.Audit.ReadAsync(from, to, Ct))
        {
            list.Add(record);
        }

        return list;
    }

    // Deterministic rows: which fields are set depends on the sequence, so searches have known answers.
    private static StoredAuditRecord AuditRow(long sequence) => new(
        sequence,
        AuditTime(sequence),
        sequence % 3 == 0 ? "admin.change" : "identity.issued",
        sequence % 3 == 1 ? "spiffe://writ.test/agent/a1" : null,
        sequence % 2 == 1 ? "bob" : "alice",
        sequence == 2 ? "task-2" : null,
        sequence % 3 == 2 ? "refused" : "issued",
        sequence % 3 == 0 ? "ops" : null,
        CanonicalFor(sequence),
        LeafFor(sequence));

    private static DateTimeOffset AuditTime(long sequence) => T0.AddSeconds(sequence).AddTicks(10 * sequence);

    private static byte[] CanonicalFor(long sequence) => Encoding.UTF8.GetBytes($"{{\"seq\":{sequence}}}");

    private static byte[] LeafFor(long sequence) => SHA256.HashData(CanonicalFor(sequence));

    private static byte[] FrontierFor(long size) => Encoding.UTF8.GetBytes($"frontier-{size}");

    private static StoredCheckpoint Checkpoint(long size) =>
        new(size, SHA256.HashData(FrontierFor(size)), AuditTime(size), $"writ.test/audit\n{size}\nroot\n\n— key sig\n");
}
