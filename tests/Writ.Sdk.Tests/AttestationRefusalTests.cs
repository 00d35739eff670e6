using System.Security.Cryptography;
using Writ.Sdk.Tests.Infrastructure;

namespace Writ.Sdk.Tests;

/// <summary>Refused attestations surface as <see cref="WritAttestationException"/> carrying Writ's reason.</summary>
public sealed class AttestationRefusalTests
{
    [Fact]
    public async Task ExpiredJoinToken_IsRejectedWithClearException()
    {
        await using var world = await SdkWorld.StartAsync();
        await world.RegisterAgentAsync("late");
        var join = await world.JoinTokenAsync("late");
        world.Time.Advance(TimeSpan.FromMinutes(11));
        await using var writ = world.Client(AgentAttestation.JoinToken(join));

        var error = await Assert.ThrowsAsync<WritAttestationException>(() => writ.GetIdentityTokenAsync(TestContext.Current.CancellationToken));
        Assert.Equal("invalid_grant", error.Error);
        Assert.Equal(400, error.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.DoesNotContain(join, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplayedJoinToken_IsRejected()
    {
        await using var world = await SdkWorld.StartAsync();
        await world.RegisterAgentAsync("once");
        var join = await world.JoinTokenAsync("once");
        await using var first = world.Client(AgentAttestation.JoinToken(join));
        await first.GetIdentityTokenAsync(TestContext.Current.CancellationToken);
        await using var second = world.Client(AgentAttestation.JoinToken(join));

        var error = await Assert.ThrowsAsync<WritAttestationException>(() => second.GetIdentityTokenAsync(TestContext.Current.CancellationToken));
        Assert.Equal("invalid_grant", error.Error);
    }

    [Fact]
    public async Task WrongKey_IsRejectedWithClearException()
    {
        await using var world = await SdkWorld.StartAsync();
        await world.RegisterKeyedAgentAsync("research");
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await using var writ = world.Client(AgentAttestation.RegisteredKey(world.SpiffeId("research"), "research-1", other));

        var error = await Assert.ThrowsAsync<WritAttestationException>(() => writ.GetIdentityTokenAsync(TestContext.Current.CancellationToken));
        Assert.Equal("invalid_grant", error.Error);
    }

    [Fact]
    public void MissingAttestation_IsRejectedAtConstruction()
    {
        var error = Assert.Throws<ArgumentException>(() => new WritClient(new WritClientOptions { WritUrl = new Uri("http://127.0.0.1:1") }));
        Assert.Contains("Attestation", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonP256Key_IsRejected()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.Throws<ArgumentException>(() => AgentAttestation.RegisteredKey("spiffe://writ.local/agent/a", "k", p384));
    }
}
