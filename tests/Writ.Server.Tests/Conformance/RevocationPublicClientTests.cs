using System.Net;
using System.Text.Json;
using Writ.Core.Identity;
using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests.Conformance;

/// <summary>
/// The revocation endpoint advertises <c>none</c> (RFC 8414, RFC 7591 §2), so a public client's request, the token and
/// only a <c>client_id</c> (RFC 6749 §2.3, RFC 7009 §2.1), revokes a token it holds; the bare <c>client_id</c> proves
/// nothing and authenticates no one, so introspection, which requires a client, still refuses it.
/// </summary>
public sealed class RevocationPublicClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(WritHost Host, string Token)> SetUpAsync()
    {
        var host = await WritHost.StartAsync();
        await host.AddOwnerAsync("alice");
        await host.RegisterAgentAsync("research", "alice");
        var joinToken = await host.CreateJoinTokenAsync("research");
        using var response = await host.TokenAsync(
            ("grant_type", TokenTypes.TokenExchangeGrant), ("subject_token", joinToken), ("subject_token_type", TokenTypes.JoinToken), ("audience", "https://tools.example"));
        await host.AdminOkAsync(HttpMethod.Post, "clients", new { name = "gateway", authMethod = "client_secret" });
        return (host, (await WritHost.JsonAsync(response))["access_token"]!.GetValue<string>());
    }

    private static async Task<string?> RevokedJtiAsync(WritHost host) =>
        (await host.Store.Revocations.ListActiveAsync(host.Time.GetUtcNow(), Ct)).SingleOrDefault()?.Jti;

    [Fact]
    public async Task Metadata_AdvertisesNoneForRevocationOnly()
    {
        await using var host = await WritHost.StartAsync();

        var metadata = JsonDocument.Parse(await host.Http.GetStringAsync(".well-known/oauth-authorization-server", Ct)).RootElement;

        Assert.Contains(metadata.GetProperty("revocation_endpoint_auth_methods_supported").EnumerateArray(), m => m.GetString() == "none");
        Assert.DoesNotContain(metadata.GetProperty("introspection_endpoint_auth_methods_supported").EnumerateArray(), m => m.GetString() == "none");
    }

    [Theory]
    [InlineData("research")]
    [InlineData("gateway")]
    [InlineData("no-such-client")]
    public async Task RevocationWithOnlyAClientId_RevokesTheToken(string clientId)
    {
        var (host, token) = await SetUpAsync();
        await using var _ = host;

        using var response = await host.PostFormAsync("oauth2/revoke", [new("token", token), new("client_id", clientId)]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Jwt.DecodePart(token, 1).GetProperty("jti").GetString(), await RevokedJtiAsync(host));
    }

    [Fact]
    public async Task RevocationWithOnlyAClientId_IsAuditedAsTheTokenHolder_NotAsThatClient()
    {
        var (host, token) = await SetUpAsync();
        await using var _ = host;

        using var response = await host.PostFormAsync("oauth2/revoke", [new("token", token), new("client_id", "gateway")]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = await host.Store.Audit.SearchAsync(new Writ.Core.Audit.AuditQuery { Type = Writ.Core.Audit.AuditEventTypes.Revoked }, Ct);
        Assert.Equal("token-holder", Writ.Core.Audit.AuditRecordEncoding.Decode(Assert.Single(stored).Canonical).Actor);
    }

    [Fact]
    public async Task IntrospectionWithOnlyAClientId_Returns401InvalidClient()
    {
        var (host, token) = await SetUpAsync();
        await using var _ = host;

        using var response = await host.PostFormAsync("oauth2/introspect", [new("token", token), new("client_id", "gateway")]);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await WritHost.JsonAsync(response))["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task RevocationWithAClientIdAndAWrongSecret_Returns401_AndRecordsNothing()
    {
        var (host, token) = await SetUpAsync();
        await using var _ = host;

        using var response = await host.PostFormAsync("oauth2/revoke", [new("token", token), new("client_id", "gateway"), new("client_secret", "wcs.wrong")]);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Null(await RevokedJtiAsync(host));
    }
}
