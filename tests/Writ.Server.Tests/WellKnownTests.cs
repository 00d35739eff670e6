using System.Net;
using System.Text.Json;
using Writ.Core.Identity;
using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests;

public sealed class WellKnownTests
{
    [Fact]
    public async Task Metadata_AdvertisesIssuerEndpointsAndGrants()
    {
        await using var host = await WritHost.StartAsync();

        var metadata = JsonDocument.Parse(await host.Http.GetStringAsync(".well-known/oauth-authorization-server", TestContext.Current.CancellationToken)).RootElement;

        Assert.Equal(host.Issuer, metadata.GetProperty("issuer").GetString());
        Assert.StartsWith("http://127.0.0.1:", host.Issuer, StringComparison.Ordinal);
        Assert.Equal(host.Issuer + "/oauth2/token", metadata.GetProperty("token_endpoint").GetString());
        Assert.Equal(host.Issuer + "/oauth2/introspect", metadata.GetProperty("introspection_endpoint").GetString());
        Assert.Equal(host.Issuer + "/oauth2/revoke", metadata.GetProperty("revocation_endpoint").GetString());
        Assert.Equal(host.Issuer + "/.well-known/jwks.json", metadata.GetProperty("jwks_uri").GetString());
        var grants = metadata.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()).ToList();
        Assert.Contains(TokenTypes.TokenExchangeGrant, grants);
        Assert.Contains(TokenTypes.JwtBearerGrant, grants);
        Assert.Contains(TokenTypes.JoinToken, metadata.GetProperty("writ_subject_token_types_supported").EnumerateArray().Select(g => g.GetString()));
        Assert.Contains("private_key_jwt", metadata.GetProperty("introspection_endpoint_auth_methods_supported").EnumerateArray().Select(g => g.GetString()));
        Assert.True(metadata.TryGetProperty("token_endpoint_auth_methods_supported", out _));
    }

    [Fact]
    public async Task HealthAndReadiness_AreOk()
    {
        await using var host = await WritHost.StartAsync();

        using var health = await host.Http.GetAsync("healthz", TestContext.Current.CancellationToken);
        using var ready = await host.Http.GetAsync("readyz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("ready", (await WritHost.JsonAsync(ready))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task JwksAndBundle_PublishTheSigningKey()
    {
        await using var host = await WritHost.StartAsync();

        var jwks = await host.JwksAsync();
        var bundle = JsonDocument.Parse(await host.Http.GetStringAsync(".well-known/spiffe-bundle", TestContext.Current.CancellationToken)).RootElement;

        var key = Assert.Single(jwks.Keys.EnumerateArray());
        Assert.Equal("EC", key.GetProperty("kty").GetString());
        Assert.Equal("sig", key.GetProperty("use").GetString());
        Assert.False(key.TryGetProperty("d", out _));
        var bundleKey = Assert.Single(bundle.GetProperty("keys").EnumerateArray());
        Assert.Equal("jwt-svid", bundleKey.GetProperty("use").GetString());
        Assert.True(bundle.GetProperty("spiffe_sequence").GetInt64() >= 1);
        Assert.True(bundle.GetProperty("spiffe_refresh_hint").GetInt64() > 0);
    }

    [Fact]
    public async Task KeyRotation_IsPublishedFirst_ThenSigns_AndOldTokensStillVerify()
    {
        await using var host = await WritHost.StartAsync();
        await host.AddOwnerAsync("alice");
        await host.RegisterAgentAsync("research", "alice");
        var before = await IssueAsync(host);
        var oldKid = Jwt.DecodePart(before, 0).GetProperty("kid").GetString();
        var sequenceBefore = await BundleSequenceAsync(host);

        var rotated = await host.AdminOkAsync(HttpMethod.Post, "keys/rotate");
        var newKid = rotated["kid"]!.GetValue<string>();

        var published = (await host.JwksAsync()).Keys.EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToList();
        Assert.Contains(oldKid, published);
        Assert.Contains(newKid, published);
        Assert.True(await BundleSequenceAsync(host) > sequenceBefore);
        Assert.Equal(oldKid, Jwt.DecodePart(await IssueAsync(host), 0).GetProperty("kid").GetString());

        host.Time.Advance(TimeSpan.FromMinutes(6));
        var after = await IssueAsync(host);
        Assert.Equal(newKid, Jwt.DecodePart(after, 0).GetProperty("kid").GetString());
        Assert.Contains(oldKid, (await host.JwksAsync()).Keys.EnumerateArray().Select(k => k.GetProperty("kid").GetString()));

        var keys = await host.AdminOkAsync(HttpMethod.Get, "keys");
        Assert.Equal(2, keys["items"]!.AsArray().Count);
    }

    private static async Task<long> BundleSequenceAsync(WritHost host) =>
        JsonDocument.Parse(await host.Http.GetStringAsync(".well-known/spiffe-bundle", TestContext.Current.CancellationToken)).RootElement.GetProperty("spiffe_sequence").GetInt64();

    private static async Task<string> IssueAsync(WritHost host)
    {
        var joinToken = await host.CreateJoinTokenAsync("research");
        using var response = await host.TokenAsync(
            ("grant_type", TokenTypes.TokenExchangeGrant), ("subject_token", joinToken), ("subject_token_type", TokenTypes.JoinToken), ("audience", "aud"));
        var token = (await WritHost.JsonAsync(response))["access_token"]!.GetValue<string>();
        await IdentityTokens.VerifyAsync(host, token, "spiffe://writ.local/agent/research", "aud");
        return token;
    }

    [Fact]
    public async Task ConfiguredIssuer_IsUsedExactly_InMetadataAndTokens()
    {
        await using var host = await WritHost.StartAsync(issuer: "https://writ.example/");
        await host.AddOwnerAsync("alice");
        await host.RegisterAgentAsync("research", "alice");

        var metadata = JsonDocument.Parse(await host.Http.GetStringAsync(".well-known/oauth-authorization-server", TestContext.Current.CancellationToken)).RootElement;
        var token = await IssueAsync(host);

        Assert.Equal("https://writ.example/", metadata.GetProperty("issuer").GetString());
        Assert.Equal("https://writ.example/oauth2/token", metadata.GetProperty("token_endpoint").GetString());
        Assert.Equal("https://writ.example/", Jwt.DecodePart(token, 1).GetProperty("iss").GetString());
    }
}
