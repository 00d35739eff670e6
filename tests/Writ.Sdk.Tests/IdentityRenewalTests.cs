using Writ.Sdk.Tests.Infrastructure;

namespace Writ.Sdk.Tests;

/// <summary>Identity tokens are cached, renewed before expiry under the fake clock, and renewed once however many callers ask.</summary>
public sealed class IdentityRenewalTests
{
    [Fact]
    public async Task IdentityToken_IsCachedEarly_AndRenewedBeforeExpiry()
    {
        await using var world = await SdkWorld.StartAsync(identityTokenLifetime: TimeSpan.FromMinutes(10));
        var attestation = await world.RegisterKeyedAgentAsync("research");
        using var counter = new CountingHandler();
        await using var writ = world.Client(attestation, counter);
        var ct = TestContext.Current.CancellationToken;

        var first = await writ.GetIdentityTokenAsync(ct);
        world.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(first, await writ.GetIdentityTokenAsync(ct));
        Assert.Equal(1, counter.TokenRequests);

        // Past 80% of the lifetime the renewal point has passed whatever the jitter picked, yet the old token is still valid.
        world.Time.Advance(TimeSpan.FromMinutes(3) + TimeSpan.FromSeconds(5));
        var renewed = await writ.GetIdentityTokenAsync(ct);
        Assert.NotEqual(first, renewed);
        Assert.Equal(2, counter.TokenRequests);
        Assert.Equal(2, writ.IdentityTokensIssued);

        var claims = Jws.ReadPayload(renewed)!.Value;
        Assert.Equal(world.SpiffeId("research"), claims.GetProperty("sub").GetString());
        Assert.True(claims.GetProperty("exp").GetInt64() > world.Time.GetUtcNow().ToUnixTimeSeconds() + 500);
    }

    [Fact]
    public async Task ManyConcurrentCallers_ShareOneRenewal()
    {
        await using var world = await SdkWorld.StartAsync(identityTokenLifetime: TimeSpan.FromMinutes(10));
        var attestation = await world.RegisterKeyedAgentAsync("research");
        using var counter = new CountingHandler();
        await using var writ = world.Client(attestation, counter);
        var ct = TestContext.Current.CancellationToken;

        var tokens = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => writ.GetIdentityTokenAsync(ct), ct)));
        Assert.Single(tokens.Distinct());
        Assert.Equal(1, counter.TokenRequests);

        world.Time.Advance(TimeSpan.FromMinutes(9));
        var renewed = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => writ.GetIdentityTokenAsync(ct), ct)));
        Assert.Single(renewed.Distinct());
        Assert.NotEqual(tokens[0], renewed[0]);
        Assert.Equal(2, counter.TokenRequests);
    }

    [Fact]
    public async Task JoinToken_BuysOneToken_ThenRenewalWithoutKey_FailsClearly()
    {
        await using var world = await SdkWorld.StartAsync(identityTokenLifetime: TimeSpan.FromMinutes(10));
        await world.RegisterAgentAsync("joiner");
        await using var writ = world.Client(AgentAttestation.JoinToken(await world.JoinTokenAsync("joiner")));
        var ct = TestContext.Current.CancellationToken;

        var first = await writ.GetIdentityTokenAsync(ct);
        world.Time.Advance(TimeSpan.FromMinutes(9) + TimeSpan.FromSeconds(56));

        var error = await Assert.ThrowsAsync<WritAttestationException>(() => writ.GetIdentityTokenAsync(ct));
        Assert.Equal("join_token_used", error.Error);
        Assert.Contains("RegisteredKey", error.Message, StringComparison.Ordinal);
        Assert.NotNull(first);
    }

    [Fact]
    public async Task JoinToken_ThenRegisteredKey_RenewsWithTheKey()
    {
        await using var world = await SdkWorld.StartAsync(identityTokenLifetime: TimeSpan.FromMinutes(10));
        var key = await world.RegisterKeyedAgentAsync("keyed");
        using var counter = new CountingHandler();
        await using var writ = world.Client(AgentAttestation.JoinToken(await world.JoinTokenAsync("keyed"), thenRenewWith: key), counter);
        var ct = TestContext.Current.CancellationToken;

        var first = await writ.GetIdentityTokenAsync(ct);
        world.Time.Advance(TimeSpan.FromMinutes(9));
        var renewed = await writ.GetIdentityTokenAsync(ct);

        Assert.NotEqual(first, renewed);
        Assert.Equal("join_token", Jws.ReadPayload(first)!.Value.GetProperty("writ_attestation").GetProperty("method").GetString());
        Assert.Equal("registered_key", Jws.ReadPayload(renewed)!.Value.GetProperty("writ_attestation").GetProperty("method").GetString());
    }

    [Fact]
    public async Task FailedRenewal_KeepsTheStillValidToken()
    {
        await using var world = await SdkWorld.StartAsync(identityTokenLifetime: TimeSpan.FromMinutes(10));
        await world.RegisterAgentAsync("joiner");
        await using var writ = world.Client(AgentAttestation.JoinToken(await world.JoinTokenAsync("joiner")));
        var ct = TestContext.Current.CancellationToken;

        var first = await writ.GetIdentityTokenAsync(ct);
        world.Time.Advance(TimeSpan.FromMinutes(9));

        // Renewal cannot succeed (the join token is spent), but the token has a minute left and is still served.
        Assert.Equal(first, await writ.GetIdentityTokenAsync(ct));
    }
}
