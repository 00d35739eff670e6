using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Writ.Core.Identity;
using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests;

public sealed class IntrospectionAndRevocationTests
{
    private const string Audience = "https://tools.example";

    private static async Task<(WritHost Host, string IdentityToken, string ClientSecret)> SetUpAsync()
    {
        var host = await WritHost.StartAsync();
        await host.AddOwnerAsync("alice");
        await host.RegisterAgentAsync("research", "alice");
        var joinToken = await host.CreateJoinTokenAsync("research");
        using var response = await host.TokenAsync(
            ("grant_type", TokenTypes.TokenExchangeGrant), ("subject_token", joinToken), ("subject_token_type", TokenTypes.JoinToken), ("audience", Audience));
        var token = (await WritHost.JsonAsync(response))["access_token"]!.GetValue<string>();
        var client = await host.AdminOkAsync(HttpMethod.Post, "clients", new { name = "gateway", authMethod = "client_secret" });
        return (host, token, client["clientSecret"]!.GetValue<string>());
    }

    private static AuthenticationHeaderValue Basic(string id, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(id) + ":" + Uri.EscapeDataString(secret))));

    private static async Task<JsonElement> IntrospectAsync(WritHost host, string token, string secret)
    {
        using var response = await host.PostFormAsync("oauth2/introspect", [new("token", token)], Basic("gateway", secret));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
    }

    [Fact]
    public async Task ActiveToken_IntrospectsWithClaims()
    {
        var (host, token, secret) = await SetUpAsync();
        await using var _ = host;

        var result = await IntrospectAsync(host, token, secret);

        Assert.True(result.GetProperty("active").GetBoolean());
        Assert.Equal("spiffe://writ.local/agent/research", result.GetProperty("sub").GetString());
        Assert.Equal(Audience, result.GetProperty("aud").GetString());
        Assert.Equal("alice", result.GetProperty("writ_owner").GetString());
        Assert.Equal("join_token", result.GetProperty("writ_attestation").GetProperty("method").GetString());
    }

    [Fact]
    public async Task ClientSecretPost_IsAccepted()
    {
        var (host, token, secret) = await SetUpAsync();
        await using var _ = host;

        using var response = await host.PostFormAsync("oauth2/introspect", [new("token", token), new("client_id", "gateway"), new("client_secret", secret)]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await WritHost.JsonAsync(response))["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task PrivateKeyJwtClient_IsAccepted_AndAssertionReplayIsRejected()
    {
        var (host, token, _) = await SetUpAsync();
        await using var __ = host;
        using var key = new AgentKey("pdp-key");
        var jwks = JsonSerializer.SerializeToElement(new { keys = new[] { key.PublicJwk } });
        await host.AdminOkAsync(HttpMethod.Post, "clients", new { name = "pdp", authMethod = "private_key_jwt", jwks });
        var now = host.Time.GetUtcNow();
        var assertion = key.Sign(new Dictionary<string, object?>
        {
            ["iss"] = "pdp",
            ["sub"] = "pdp",
            ["aud"] = host.Issuer + "/oauth2/introspect",
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + TimeSpan.FromMinutes(1)).ToUnixTimeSeconds(),
            ["jti"] = "pdp-1",
        });
        KeyValuePair<string, string>[] form =
        [
            new("token", token),
            new("client_assertion_type", TokenTypes.ClientAssertionJwtBearer),
            new("client_assertion", assertion),
        ];

        using var first = await host.PostFormAsync("oauth2/introspect", form);
        using var replay = await host.PostFormAsync("oauth2/introspect", form);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True((await WritHost.JsonAsync(first))["active"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal("invalid_client", (await WritHost.JsonAsync(replay))["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task IntrospectionWithoutClientAuth_Returns401()
    {
        var (host, token, _) = await SetUpAsync();
        await using var __ = host;

        using var response = await host.PostFormAsync("oauth2/introspect", [new("token", token)]);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await WritHost.JsonAsync(response))["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task IntrospectionWithWrongSecret_Returns401()
    {
        var (host, token, _) = await SetUpAsync();
        await using var __ = host;

        using var response = await host.PostFormAsync("oauth2/introspect", [new("token", token)], Basic("gateway", "wcs.wrong-secret"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task TwoClientAuthMethods_Returns400()
    {
        var (host, token, secret) = await SetUpAsync();
        await using var _ = host;

        using var response = await host.PostFormAsync("oauth2/introspect", [new("token", token), new("client_id", "gateway"), new("client_secret", secret)], Basic("gateway", secret));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task RemovedClient_Returns401()
    {
        var (host, token, secret) = await SetUpAsync();
        await using var _ = host;
        using (var removed = await host.AdminAsync(HttpMethod.Delete, "clients/gateway"))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }

        using var response = await host.PostFormAsync("oauth2/introspect", [new("token", token)], Basic("gateway", secret));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ExpiredToken_IntrospectsInactive()
    {
        var (host, token, secret) = await SetUpAsync();
        await using var _ = host;
        host.Time.Advance(TimeSpan.FromMinutes(6));

        var result = await IntrospectAsync(host, token, secret);

        Assert.False(result.GetProperty("active").GetBoolean());
        Assert.Single(result.EnumerateObject());
    }

    [Fact]
    public async Task GarbageToken_IntrospectsInactive()
    {
        var (host, _, secret) = await SetUpAsync();
        await using var __ = host;

        var result = await IntrospectAsync(host, "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", secret);

        Assert.False(result.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task SuspendedAgentToken_IntrospectsInactive()
    {
        var (host, token, secret) = await SetUpAsync();
        await using var _ = host;
        await host.AdminOkAsync(HttpMethod.Post, "agents/research/suspend");

        var result = await IntrospectAsync(host, token, secret);

        Assert.False(result.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task RevokedToken_IntrospectsInactive()
    {
        var (host, token, secret) = await SetUpAsync();
        await using var _ = host;

        using var revoke = await host.PostFormAsync("oauth2/revoke", [new("token", token)]);
        var result = await IntrospectAsync(host, token, secret);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.False(result.GetProperty("active").GetBoolean());
        var revoked = await host.Store.Revocations.ListActiveAsync(host.Time.GetUtcNow(), TestContext.Current.CancellationToken);
        var jti = Jwt.DecodePart(token, 1).GetProperty("jti").GetString();
        var entry = Assert.Single(revoked);
        Assert.Equal(jti, entry.Jti);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Jwt.DecodePart(token, 1).GetProperty("exp").GetInt64()), entry.ExpiresAt);
    }

    [Theory]
    [InlineData(true, "client:gateway")]
    [InlineData(false, "token-holder")]
    public async Task Revocation_IsAuditedWithWhoAsked(bool asClient, string actor)
    {
        var (host, token, secret) = await SetUpAsync();
        await using var _ = host;

        using var revoke = await host.PostFormAsync("oauth2/revoke", [new("token", token)], asClient ? Basic("gateway", secret) : null);

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        var stored = await host.Store.Audit.SearchAsync(new Writ.Core.Audit.AuditQuery { Type = Writ.Core.Audit.AuditEventTypes.Revoked }, TestContext.Current.CancellationToken);
        var record = Writ.Core.Audit.AuditRecordEncoding.Decode(Assert.Single(stored).Canonical);
        Assert.Equal(actor, record.Actor);
    }

    [Fact]
    public async Task RevokingGarbage_Returns200_AndRecordsNothing()
    {
        var (host, _, _) = await SetUpAsync();
        await using var __ = host;

        using var response = await host.PostFormAsync("oauth2/revoke", [new("token", "definitely-not-a-token")]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await host.Store.Revocations.ListActiveAsync(host.Time.GetUtcNow(), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task RevocationWithWrongClientSecret_Returns401_AndRecordsNothing()
    {
        var (host, token, _) = await SetUpAsync();
        await using var __ = host;

        using var response = await host.PostFormAsync("oauth2/revoke", [new("token", token)], Basic("gateway", "wcs.wrong"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await host.Store.Revocations.ListActiveAsync(host.Time.GetUtcNow(), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task RevocationWithoutToken_Returns400()
    {
        await using var host = await WritHost.StartAsync();

        using var response = await host.PostFormAsync("oauth2/revoke", [new("token_type_hint", "access_token")]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await WritHost.JsonAsync(response))["error"]!.GetValue<string>());
    }
}
