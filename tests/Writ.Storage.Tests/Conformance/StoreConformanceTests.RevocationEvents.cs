using Writ.Core.Revocation;
using Writ.Core.Storage;

namespace Writ.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    private static RevocationEvent Revocation(RevocationKind kind, string subject, int expiresInMinutes = 60) =>
        new(0, T0, kind, subject, T0.AddMinutes(expiresInMinutes), "test");

    private static SignalStream NewStream(string id, long cursor = 0) => new(
        id,
        "https://receiver.example",
        ["https://schemas.openid.net/secevent/caep/event-type/session-revoked"],
        "urn:ietf:rfc:8936",
        "https://writ.example/ssf/poll/" + id,
        null,
        "enabled",
        null,
        "a receiver",
        "bootstrap",
        T0,
        T0,
        cursor);

    [Fact]
    public async Task AppendedEvents_ReadBackInIdOrder_WithEveryField()
    {
        var first = await Store.RevocationEvents.AppendAsync(Revocation(RevocationKind.Token, "jti-1"), Ct);
        var second = await Store.RevocationEvents.AppendAsync(Revocation(RevocationKind.Agent, "spiffe://writ.test/agent/research"), Ct);

        Assert.True(second.Id > first.Id);
        var read = await Store.RevocationEvents.ReadAfterAsync(0, 10, Ct);
        Assert.Equal([first, second], read);
        Assert.Equal([second], await Store.RevocationEvents.ReadAfterAsync(first.Id, 10, Ct));
        Assert.Equal(second.Id, await Store.RevocationEvents.GetLatestIdAsync(Ct));
    }

    [Fact]
    public async Task EmptyLog_HasLatestIdZero()
    {
        Assert.Equal(0, await Store.RevocationEvents.GetLatestIdAsync(Ct));
        Assert.Empty(await Store.RevocationEvents.ReadAfterAsync(0, 10, Ct));
    }

    [Fact]
    public async Task ReadAfter_HonorsLimit()
    {
        foreach (var kind in Enum.GetValues<RevocationKind>())
        {
            await Store.RevocationEvents.AppendAsync(Revocation(kind, "s-" + kind), Ct);
        }

        var page = await Store.RevocationEvents.ReadAfterAsync(0, 3, Ct);

        Assert.Equal(3, page.Count);
        Assert.Equal([RevocationKind.Token, RevocationKind.Task, RevocationKind.Agent], page.Select(e => e.Kind));
        var rest = await Store.RevocationEvents.ReadAfterAsync(page[^1].Id, 10, Ct);
        Assert.Equal(Enum.GetValues<RevocationKind>().Length - 3, rest.Count);
    }

    [Fact]
    public async Task ConcurrentAppendsFromTwoProcesses_FormOneGaplessOrder()
    {
        await using var other = await OpenSameDatabaseAsync();
        var stores = new[] { Store, other };

        var appended = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Task.Run(() => stores[i % 2].RevocationEvents.AppendAsync(Revocation(RevocationKind.Token, "jti-" + i), Ct), Ct)));

        var read = await Store.RevocationEvents.ReadAfterAsync(0, 100, Ct);
        Assert.Equal(appended.Select(e => e.Id).Order(), read.Select(e => e.Id));
        Assert.Equal(40, read.Select(e => e.Subject).Distinct().Count());
    }

    [Fact]
    public async Task ReaderPollingDuringConcurrentAppends_NeverSkipsAnEvent()
    {
        await using var other = await OpenSameDatabaseAsync();
        var stores = new[] { Store, other };
        var writers = Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
            Task.Run(() => stores[i % 2].RevocationEvents.AppendAsync(Revocation(RevocationKind.Token, "jti-" + i), Ct), Ct)));

        var seen = new List<long>();
        long last = 0;
        while (!writers.IsCompleted || seen.Count < 60)
        {
            foreach (var revocation in await other.RevocationEvents.ReadAfterAsync(last, 7, Ct))
            {
                seen.Add(revocation.Id);
                last = revocation.Id;
            }

            if (writers.IsFaulted)
            {
                await writers;
            }
        }

        Assert.Equal((await writers).Select(e => e.Id).Order(), seen);
    }

    [Fact]
    public async Task ExpiredEvents_ArePurged_OthersKept()
    {
        var old = await Store.RevocationEvents.AppendAsync(Revocation(RevocationKind.Token, "old", expiresInMinutes: 5), Ct);
        var live = await Store.RevocationEvents.AppendAsync(Revocation(RevocationKind.Token, "live", expiresInMinutes: 30), Ct);

        Assert.Equal(1, await Store.RevocationEvents.PurgeExpiredAsync(T0.AddMinutes(5), Ct));

        Assert.Equal([live], await Store.RevocationEvents.ReadAfterAsync(0, 10, Ct));
        Assert.True(live.Id > old.Id);
    }

    [Fact]
    public async Task Stream_RoundTrips_AndDuplicateIdIsRefused()
    {
        var stream = NewStream("s1") with { ProtectedAuthorization = [1, 2, 3] };

        Assert.Equal(StoreOutcome.Success, (await Store.RevocationEvents.AddStreamAsync(stream, Ct)).Outcome);
        Assert.Equal(StoreOutcome.AlreadyExists, (await Store.RevocationEvents.AddStreamAsync(stream, Ct)).Outcome);

        var read = await Store.RevocationEvents.GetStreamAsync("s1", Ct);
        Assert.NotNull(read);
        Assert.Equal(stream.ProtectedAuthorization, read.ProtectedAuthorization);
        Assert.Equal(stream with { ProtectedAuthorization = read.ProtectedAuthorization, EventsRequested = read.EventsRequested }, read);
        Assert.Equal(stream.EventsRequested, read.EventsRequested);
        Assert.Single(await Store.RevocationEvents.ListStreamsAsync(Ct));
        Assert.Null(await Store.RevocationEvents.GetStreamAsync("s2", Ct));
    }

    [Fact]
    public async Task StreamUpdate_ChangesConfigurationButNotCursor()
    {
        await Store.RevocationEvents.AddStreamAsync(NewStream("s1", cursor: 7), Ct);

        var updated = await Store.RevocationEvents.UpdateStreamAsync(NewStream("s1", cursor: 99) with { Status = "paused", Description = null, UpdatedAt = T0.AddMinutes(1) }, Ct);

        Assert.True(updated.Succeeded);
        Assert.Equal("paused", updated.Value!.Status);
        Assert.Null(updated.Value.Description);
        Assert.Equal(7, updated.Value.Cursor);
        Assert.Equal(StoreOutcome.NotFound, (await Store.RevocationEvents.UpdateStreamAsync(NewStream("nope"), Ct)).Outcome);
    }

    [Fact]
    public async Task Enqueue_MovesCursorOnce_AndAcknowledgedSetsLeaveTheQueue()
    {
        await Store.RevocationEvents.AddStreamAsync(NewStream("s1"), Ct);
        QueuedSet[] sets = [new("set-1", "a.b.c", T0), new("set-2", "d.e.f", T0)];

        Assert.True(await Store.RevocationEvents.EnqueueAsync("s1", 0, 5, sets, Ct));
        Assert.False(await Store.RevocationEvents.EnqueueAsync("s1", 0, 5, sets, Ct));
        Assert.False(await Store.RevocationEvents.EnqueueAsync("missing", 0, 5, sets, Ct));

        Assert.Equal(5, (await Store.RevocationEvents.GetStreamAsync("s1", Ct))!.Cursor);
        Assert.Equal(sets, await Store.RevocationEvents.PeekQueueAsync("s1", 10, Ct));
        Assert.Equal([sets[0]], await Store.RevocationEvents.PeekQueueAsync("s1", 1, Ct));
        Assert.Equal(1, await Store.RevocationEvents.AcknowledgeAsync("s1", ["set-1", "unknown"], Ct));
        Assert.Equal([sets[1]], await Store.RevocationEvents.PeekQueueAsync("s1", 10, Ct));
    }

    [Fact]
    public async Task RemovedStream_TakesItsQueueWithIt()
    {
        await Store.RevocationEvents.AddStreamAsync(NewStream("s1"), Ct);
        await Store.RevocationEvents.EnqueueAsync("s1", 0, 1, [new("set-1", "a.b.c", T0)], Ct);

        Assert.Equal(StoreOutcome.Success, (await Store.RevocationEvents.RemoveStreamAsync("s1", Ct)).Outcome);
        Assert.Equal(StoreOutcome.NotFound, (await Store.RevocationEvents.RemoveStreamAsync("s1", Ct)).Outcome);

        await Store.RevocationEvents.AddStreamAsync(NewStream("s1"), Ct);
        Assert.Empty(await Store.RevocationEvents.PeekQueueAsync("s1", 10, Ct));
    }
}
