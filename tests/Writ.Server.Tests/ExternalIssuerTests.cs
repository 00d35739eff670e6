using System.Net;
using System.Text.Json;
using Writ.Core.Identity;
using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests;

public sealed class ExternalIssuerTests
{
    private const string Audience = "https://tools.example";
    private const string WritAudience = "writ";
    private const string ServiceAccount = "system:serviceaccount:ci:deployer";

    private static async Task<(WritHost Host, ExternalIssuerServer Issuer)> SetUpAsync(bool staticJwks = false)
    {
        var host = await WritHost.StartAsync();
        var issuer = await ExternalIssuerServer.StartAsync();
        await host.AddOwnerAsync("alice");
        await host.RegisterAgentAsync("deployer", "alice");
        await host.RegisterAgentAsync("other", "alice");
        await host.AdminOkAsync(HttpMethod.Post, "issuers", new
        {
            name = "cluster",
            issuer = issuer.Issuer,
            jwksUri = staticJwks ? null : issuer.JwksUri,
            jwks = staticJwks ? JsonDocument.Parse(issuer.JwksJson()).RootElement : (JsonElement?)null,
            audience = WritAudience,
            rules = new object[]
            {
                new { claims = new Dictionary<string, string> { ["sub"] = "system:serviceaccount:ci:other" }, agent = "other" },
                new { claims = new Dictionary<string, string> { ["sub"] = ServiceAccount }, agent = "deployer" },
            },
        });
        return (host, issuer);
    }

    private static Task<HttpResponseMessage> ExchangeAsync(WritHost host, string subjectToken, string type = TokenTypes.Jwt) =>
        host.TokenAsync(
            ("grant_type", TokenTypes.TokenExchangeGrant),
            ("subject_token", subjectToken),
            ("subject_token_type", type),
            ("audience", Audience));

    private static async Task AssertInvalidGrantAsync(HttpResponseMessage response, string descriptionContains)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await WritHost.JsonAsync(response);
        Assert.Equal("invalid_grant", body["error"]!.GetValue<string>());
        Assert.Contains(descriptionContains, body["error_description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExternalIssuerToken_IssuesJwtSvidNamingTheIssuer()
    {
        var (host, issuer) = await SetUpAsync();
        await using var _ = host;
        await using var __ = issuer;

        using var response = await ExchangeAsync(host, issuer.Sign(issuer.Claims(WritAudience, host.Time.GetUtcNow(), ServiceAccount)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        var payload = await IdentityTokens.VerifyAsync(host, IdentityTokens.AccessToken(body), "spiffe://writ.local/agent/deployer", Audience);
        var attestation = payload.GetProperty("writ_attestation");
        Assert.Equal("external_issuer", attestation.GetProperty("method").GetString());
        Assert.Equal("cluster", attestation.GetProperty("issuer").GetString());
    }

    [Fact]
    public async Task IdTokenSubjectType_IsAccepted()
    {
        var (host, issuer) = await SetUpAsync();
        await using var _ = host;
        await using var __ = issuer;

        using var response = await ExchangeAsync(host, issuer.Sign(issuer.Claims(WritAudience, host.Time.GetUtcNow(), ServiceAccount)), TokenTypes.IdToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task StaticJwksIssuer_IsAccepted()
    {
        var (host, issuer) = await SetUpAsync(staticJwks: true);
        await using var _ = host;
        await using var __ = issuer;

        using var response = await ExchangeAsync(host, issuer.Sign(issuer.Claims(WritAudience, host.Time.GetUtcNow(), ServiceAccount)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, issuer.Fetches);
    }

    [Fact]
    public async Task FirstMatchingRule_PicksTheAgent()
    {
        var (host, issuer) = await SetUpAsync();
        await using var _ = host;
        await using var __ = issuer;

        using var response = await ExchangeAsync(host, issuer.Sign(issuer.Claims(WritAudience, host.Time.GetUtcNow(), "system:serviceaccount:ci:other")));

        var token = (await WritHost.JsonAsync(response))["access_token"]!.GetValue<string>();
        Assert.Equal("spiffe://writ.local/agent/other", Jwt.DecodePart(token, 1).GetProperty("sub").GetString());
    }

    [Fact]
    public async Task NoMatchingClaimRule_IsRejected()
    {
        var (host, issuer) = await SetUpAsync();
        await using var _ = host;
        await using var __ = issuer;

        using var response = await ExchangeAsync(host, issuer.Sign(issuer.Claims(WritAudience, host.Time.GetUtcNow(), "system:serviceaccount:ci:intruder")));

        await AssertInvalidGrantAsync(response, "no claim rule");
    }

    [Fact]
    public async Task WrongAudience_IsRejected()
    {
        var (host, issuer) = await SetUpAsync();
        await using var _ = host;
        await using var __ = issuer;

        using var response = await ExchangeAsync(host, issuer.Sign(issuer.Claims("some-other-service", host.Time.GetUtcNow(), ServiceAccount)));

        await AssertInvalidGrantAsync(response, "aud");
    }

    [Fact]
    public async Task UntrustedIssuer_IsRejected()
    {
        var (host, issuer) = await SetUpAsync();
        await using var _ = host;
        await using var __ = issuer;
        var claims = issuer.Claims(WritAudience, host.Time.GetUtcNow(), ServiceAccount);
        claims["iss"] = "https://untrusted.example";

        using var response = await ExchangeAsync(host, issuer.Sign(claims));

        await AssertInvalidGrantAsync(response, "not trusted");
    }

    [Fact]
    public async Task ExpiredExternalToken_IsRejected()
    {
        var (host, issuer) = await SetUpAsync();
        await using var _ = host;
        await using var __ = issuer;

        using var response = await ExchangeAsync(host, issuer.Sign(issuer.Claims(WritAudience, host.Time.GetUtcNow() - TimeSpan.FromMinutes(20), ServiceAccount)));

        await AssertInvalidGrantAsync(response, "expired");
    }

    [Fact]
    public async Task UnknownKid_IsRejected_AfterOneRateLimitedRefresh()
    {
        var (host, issuer) = await SetUpAsync();
        await using var _ = host;
        await using var __ = issuer;
        using (var warm = await ExchangeAsync(host, issuer.Sign(issuer.Claims(WritAudience, host.Time.GetUtcNow(), ServiceAccount))))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        var fetchesBefore = issuer.Fetches;
        var claims = issuer.Claims(WritAudience, host.Time.GetUtcNow(), ServiceAccount);
        var forged = Jwt.Rs256(System.Security.Cryptography.RSA.Create(2048), new Dictionary<string, object?> { ["alg"] = "RS256", ["kid"] = "made-up" }, claims);

        host.Time.Advance(ExternalJwksCache.MinRefreshInterval);
        using var first = await ExchangeAsync(host, forged);
        using var second = await ExchangeAsync(host, forged);

        await AssertInvalidGrantAsync(first, "kid");
        await AssertInvalidGrantAsync(second, "kid");
        Assert.Equal(fetchesBefore + 1, issuer.Fetches);
    }

    [Fact]
    public async Task IssuerKeyRotation_IsPickedUpOnUnknownKid()
    {
        var (host, issuer) = await SetUpAsync();
        await using var _ = host;
        await using var __ = issuer;
        using (var warm = await ExchangeAsync(host, issuer.Sign(issuer.Claims(WritAudience, host.Time.GetUtcNow(), ServiceAccount))))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        issuer.AddKey();
        host.Time.Advance(ExternalJwksCache.MinRefreshInterval);

        using var response = await ExchangeAsync(host, issuer.Sign(issuer.Claims(WritAudience, host.Time.GetUtcNow(), ServiceAccount)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task HS256SignedWithIssuerPublicKey_IsRejected()
    {
        var (host, issuer) = await SetUpAsync();
        await using var _ = host;
        await using var __ = issuer;
        var header = new Dictionary<string, object?> { ["alg"] = "HS256", ["kid"] = issuer.CurrentKid };
        var secret = System.Text.Encoding.UTF8.GetBytes(issuer.JwksJson());

        using var response = await ExchangeAsync(host, Jwt.Hs256(secret, header, issuer.Claims(WritAudience, host.Time.GetUtcNow(), ServiceAccount)));

        await AssertInvalidGrantAsync(response, "HS256");
    }

    [Fact]
    public async Task AgentSuspended_ExternalTokenGetsNothing()
    {
        var (host, issuer) = await SetUpAsync();
        await using var _ = host;
        await using var __ = issuer;
        await host.AdminOkAsync(HttpMethod.Post, "agents/deployer/suspend");

        using var response = await ExchangeAsync(host, issuer.Sign(issuer.Claims(WritAudience, host.Time.GetUtcNow(), ServiceAccount)));

        await AssertInvalidGrantAsync(response, "suspended");
    }

    [Fact]
    public async Task RemovedIssuer_IsNoLongerTrusted()
    {
        var (host, issuer) = await SetUpAsync();
        await using var _ = host;
        await using var __ = issuer;
        using (var removed = await host.AdminAsync(HttpMethod.Delete, "issuers/cluster"))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }

        using var response = await ExchangeAsync(host, issuer.Sign(issuer.Claims(WritAudience, host.Time.GetUtcNow(), ServiceAccount)));

        await AssertInvalidGrantAsync(response, "not trusted");
    }

    [Fact]
    public async Task UnreachableIssuerJwks_FailsClosed()
    {
        await using var host = await WritHost.StartAsync();
        await using var issuer = await ExternalIssuerServer.StartAsync();
        await host.AddOwnerAsync("alice");
        await host.RegisterAgentAsync("deployer", "alice");
        await host.AdminOkAsync(HttpMethod.Post, "issuers", new
        {
            name = "dark",
            issuer = issuer.Issuer,
            jwksUri = "http://127.0.0.1:9/jwks",
            audience = WritAudience,
            rules = new[] { new { claims = new Dictionary<string, string> { ["sub"] = ServiceAccount }, agent = "deployer" } },
        });

        using var response = await ExchangeAsync(host, issuer.Sign(issuer.Claims(WritAudience, host.Time.GetUtcNow(), ServiceAccount)));

        await AssertInvalidGrantAsync(response, "kid");
    }
}
