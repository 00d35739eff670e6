using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task ReplayedJti_IsRejected()
    {
        Assert.True(await Store.ReplayCache.TryRecordAsync("agent-a", "jti-1", T0.AddMinutes(5), Ct));

        Assert.False(await Store.ReplayCache.TryRecordAsync("agent-a", "jti-1", T0.AddMinutes(5), Ct));
    }

    [Fact]
    public async Task SameJtiInAnotherScope_IsAccepted()
    {
        await Store.ReplayCache.TryRecordAsync("agent-a", "jti-1", T0.AddMinutes(5), Ct);

        Assert.True(await Store.ReplayCache.TryRecordAsync("agent-b", "jti-1", T0.AddMinutes(5), Ct));
    }

    [Fact]
    public async Task ConcurrentJtiRecorders_ExactlyOneWins()
    {
        await using var other = await OpenSameDatabaseAsync();
        var stores = new[] { Store, other };

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => stores[i % 2].ReplayCache.TryRecordAsync("agent-a", "jti-race", T0.AddMinutes(5), Ct), Ct)));

        Assert.Single(results, r => r);
    }

    [Fact]
    public async Task ExpiredReplayEntries_ArePurged_OthersKept()
    {
        await Store.ReplayCache.TryRecordAsync("s", "old", T0.AddMinutes(1), Ct);
        await Store.ReplayCache.TryRecordAsync("s", "new", T0.AddMinutes(10), Ct);

        Assert.Equal(1, await Store.ReplayCache.PurgeExpiredAsync(T0.AddMinutes(1), Ct));

        Assert.True(await Store.ReplayCache.TryRecordAsync("s", "old", T0.AddMinutes(11), Ct));
        Assert.False(await Store.ReplayCache.TryRecordAsync("s", "new", T0.AddMinutes(11), Ct));
    }

    [Fact]
    public async Task RevokedToken_IsRevokedUntilItsExpiry()
    {
        await Store.Revocations.RevokeAsync(new RevokedToken("jti-1", T0.AddMinutes(5), T0), Ct);

        Assert.True(await Store.Revocations.IsRevokedAsync("jti-1", T0.AddMinutes(4), Ct));
        Assert.False(await Store.Revocations.IsRevokedAsync("jti-1", T0.AddMinutes(5), Ct));
        Assert.False(await Store.Revocations.IsRevokedAsync("jti-2", T0, Ct));
    }

    [Fact]
    public async Task RevokingTwice_KeepsFirstEntry()
    {
        await Store.Revocations.RevokeAsync(new RevokedToken("jti-1", T0.AddMinutes(5), T0), Ct);
        await Store.Revocations.RevokeAsync(new RevokedToken("jti-1", T0.AddMinutes(9), T0.AddMinutes(1)), Ct);

        Assert.Equal([new RevokedToken("jti-1", T0.AddMinutes(5), T0)], await Store.Revocations.ListActiveAsync(T0, Ct));
    }

    [Fact]
    public async Task ActiveRevocations_AreListed_AndExpiredPurged()
    {
        await Store.Revocations.RevokeAsync(new RevokedToken("b", T0.AddMinutes(10), T0.AddSeconds(2)), Ct);
        await Store.Revocations.RevokeAsync(new RevokedToken("a", T0.AddMinutes(10), T0.AddSeconds(1)), Ct);
        await Store.Revocations.RevokeAsync(new RevokedToken("old", T0.AddMinutes(1), T0), Ct);

        Assert.Equal(["a", "b"], (await Store.Revocations.ListActiveAsync(T0.AddMinutes(2), Ct)).Select(r => r.Jti));
        Assert.Equal(1, await Store.Revocations.PurgeExpiredAsync(T0.AddMinutes(2), Ct));
        Assert.Equal(["a", "b"], (await Store.Revocations.ListActiveAsync(T0, Ct)).Select(r => r.Jti));
    }

    [Fact]
    public async Task ChangeRecords_GetIncreasingIds_AndListNewestFirst()
    {
        var first = await Store.ChangeLog.AppendAsync(new ChangeRecord(0, T0, "bootstrap", "owner.add", "alice", null), Ct);
        var second = await Store.ChangeLog.AppendAsync(new ChangeRecord(0, T0.AddSeconds(1), "ops", "agent.register", "research", "owner=alice"), Ct);

        Assert.True(second.Id > first.Id);
        Assert.Equal([second, first], await Store.ChangeLog.ListRecentAsync(10, Ct));
        Assert.Equal([second], await Store.ChangeLog.ListRecentAsync(1, Ct));
    }

    [Fact]
    public async Task Purge_RemovesOnlyWhatExpired()
    {
        await AddAgentAsync();
        await Store.ReplayCache.TryRecordAsync("s", "old", T0, Ct);
        await Store.ReplayCache.TryRecordAsync("s", "live", T0.AddDays(3), Ct);
        await Store.Revocations.RevokeAsync(new RevokedToken("old", T0, T0), Ct);
        await Store.Revocations.RevokeAsync(new RevokedToken("live", T0.AddDays(3), T0), Ct);
        await Store.JoinTokens.AddAsync(new JoinToken("long-gone", "research", "h1", T0, T0, null, null), Ct);
        await Store.JoinTokens.AddAsync(new JoinToken("recent", "research", "h2", T0, T0.AddDays(1).AddHours(1), null, null), Ct);

        var counts = await Store.PurgeExpiredAsync(T0.AddDays(2), Ct);

        Assert.Equal(new PurgeCounts(1, 1, 1), counts);
        Assert.False(await Store.ReplayCache.TryRecordAsync("s", "live", T0.AddDays(3), Ct));
        Assert.True(await Store.Revocations.IsRevokedAsync("live", T0.AddDays(2), Ct));
        Assert.Null(await Store.JoinTokens.GetAsync("long-gone", Ct));
        Assert.NotNull(await Store.JoinTokens.GetAsync("recent", Ct));
    }
}
