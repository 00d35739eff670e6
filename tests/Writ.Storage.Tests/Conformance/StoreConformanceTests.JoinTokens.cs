using Writ.Core.Domain;
using Writ.Core.Security;
using Writ.Core.Storage;

namespace Writ.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task JoinToken_AddedThenRead_RoundTrips()
    {
        var token = await AddJoinTokenAsync("secret-1");

        Assert.Equal(token, await Store.JoinTokens.GetAsync(token.Id, Ct));
        Assert.Null(await Store.JoinTokens.GetAsync("missing", Ct));
    }

    [Fact]
    public async Task JoinTokenForUnknownAgent_ReturnsReferenceNotFound()
    {
        var token = new JoinToken("jt1", "nobody", SecretHash.Compute("s"), T0, T0.AddMinutes(10), null, "admin");

        Assert.Equal(StoreOutcome.ReferenceNotFound, (await Store.JoinTokens.AddAsync(token, Ct)).Outcome);
    }

    [Fact]
    public async Task DuplicateJoinTokenIdOrHash_ReturnsAlreadyExists()
    {
        var token = await AddJoinTokenAsync("secret-1");

        var sameId = await Store.JoinTokens.AddAsync(token with { SecretHash = SecretHash.Compute("other") }, Ct);
        var sameHash = await Store.JoinTokens.AddAsync(token with { Id = "other" }, Ct);

        Assert.Equal(StoreOutcome.AlreadyExists, sameId.Outcome);
        Assert.Equal(StoreOutcome.AlreadyExists, sameHash.Outcome);
    }

    [Fact]
    public async Task JoinToken_IsConsumedOnce()
    {
        var token = await AddJoinTokenAsync("secret-1");
        var now = T0.AddMinutes(1);

        var first = await Store.JoinTokens.TryConsumeAsync(token.SecretHash, now, Ct);

        Assert.True(first.Consumed);
        Assert.Equal(token with { ConsumedAt = now }, first.Token);
        Assert.Equal(now, (await Store.JoinTokens.GetAsync(token.Id, Ct))!.ConsumedAt);
    }

    [Fact]
    public async Task ReplayedJoinToken_IsRejected()
    {
        var token = await AddJoinTokenAsync("secret-1");
        await Store.JoinTokens.TryConsumeAsync(token.SecretHash, T0.AddMinutes(1), Ct);

        var replay = await Store.JoinTokens.TryConsumeAsync(token.SecretHash, T0.AddMinutes(2), Ct);

        Assert.False(replay.Consumed);
        Assert.Equal(JoinTokenConsumeOutcome.AlreadyConsumed, replay.Outcome);
        Assert.Equal(T0.AddMinutes(1), (await Store.JoinTokens.GetAsync(token.Id, Ct))!.ConsumedAt);
    }

    [Fact]
    public async Task ExpiredJoinToken_IsRejected()
    {
        var token = await AddJoinTokenAsync("secret-1");

        var atExpiry = await Store.JoinTokens.TryConsumeAsync(token.SecretHash, token.ExpiresAt, Ct);

        Assert.Equal(JoinTokenConsumeOutcome.Expired, atExpiry.Outcome);
        Assert.Null((await Store.JoinTokens.GetAsync(token.Id, Ct))!.ConsumedAt);
    }

    [Fact]
    public async Task UnknownJoinToken_IsRejected()
    {
        var result = await Store.JoinTokens.TryConsumeAsync(SecretHash.Compute("never issued"), T0, Ct);

        Assert.Equal(JoinTokenConsumeOutcome.NotFound, result.Outcome);
        Assert.Null(result.Token);
    }

    [Fact]
    public async Task ConcurrentJoinTokenConsumers_ExactlyOneWins()
    {
        var token = await AddJoinTokenAsync("secret-race");
        var stores = new List<IWritStore>();
        for (var i = 0; i < 4; i++)
        {
            stores.Add(await OpenSameDatabaseAsync());
        }

        try
        {
            using var start = new ManualResetEventSlim(false);
            var attempts = Enumerable.Range(0, 32).Select(i => Task.Run(
                async () =>
                {
                    start.Wait(Ct);
                    return await stores[i % stores.Count].JoinTokens.TryConsumeAsync(token.SecretHash, T0.AddSeconds(30), Ct);
                },
                Ct)).ToList();
            start.Set();
            var results = await Task.WhenAll(attempts);

            Assert.Single(results, r => r.Consumed);
            Assert.All(results.Where(r => !r.Consumed), r => Assert.Equal(JoinTokenConsumeOutcome.AlreadyConsumed, r.Outcome));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ExpiredJoinTokens_ArePurged()
    {
        var old = await AddJoinTokenAsync("old");
        var fresh = await AddJoinTokenAsync("fresh", expiresAt: T0.AddHours(1));

        var purged = await Store.JoinTokens.PurgeExpiredAsync(T0.AddMinutes(30), Ct);

        Assert.Equal(1, purged);
        Assert.Null(await Store.JoinTokens.GetAsync(old.Id, Ct));
        Assert.NotNull(await Store.JoinTokens.GetAsync(fresh.Id, Ct));
    }

    private async Task<JoinToken> AddJoinTokenAsync(string secret, DateTimeOffset? expiresAt = null)
    {
        if (await Store.Agents.GetAsync("research", Ct) is null)
        {
            await AddAgentAsync();
        }

        var token = new JoinToken("jt-" + secret, "research", SecretHash.Compute(secret), T0, expiresAt ?? T0.AddMinutes(10), null, "admin");
        Assert.Equal(StoreOutcome.Success, (await Store.JoinTokens.AddAsync(token, Ct)).Outcome);
        return token;
    }
}
