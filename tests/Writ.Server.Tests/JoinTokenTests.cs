using System.Net;
using System.Text.Json;
using Writ.Core.Identity;
using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests;

public sealed class JoinTokenTests
{
    private const string Audience = "https://tools.example";

    private static (string, string)[] Exchange(string joinToken, string? audience = Audience)
    {
        var form = new List<(string, string)>
        {
            ("grant_type", TokenTypes.TokenExchangeGrant),
            ("subject_token", joinToken),
            ("subject_token_type", TokenTypes.JoinToken),
        };
        if (audience is not null)
        {
            form.Add(("audience", audience));
        }

        return [.. form];
    }

    private static async Task<(WritHost Host, string JoinToken)> SetUpAsync()
    {
        var host = await WritHost.StartAsync();
        await host.AddOwnerAsync("alice");
        await host.RegisterAgentAsync("research", "alice");
        return (host, await host.CreateJoinTokenAsync("research"));
    }

    [Fact]
    public async Task JoinToken_IssuesJwtSvid()
    {
        var (host, joinToken) = await SetUpAsync();
        await using var _ = host;

        using var response = await host.TokenAsync(Exchange(joinToken));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal(TokenTypes.Jwt, body.GetProperty("issued_token_type").GetString());
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(300, body.GetProperty("expires_in").GetInt32());
        var payload = await IdentityTokens.VerifyAsync(host, IdentityTokens.AccessToken(body), "spiffe://writ.local/agent/research", Audience);
        Assert.Equal("join_token", payload.GetProperty("writ_attestation").GetProperty("method").GetString());
    }

    [Fact]
    public async Task ResourceParameter_SetsAudience()
    {
        var (host, joinToken) = await SetUpAsync();
        await using var _ = host;
        var form = Exchange(joinToken, audience: null).Append(("resource", "https://api.example/v1")).ToArray();

        using var response = await host.TokenAsync(form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        await IdentityTokens.VerifyAsync(host, IdentityTokens.AccessToken(body), "spiffe://writ.local/agent/research", "https://api.example/v1");
    }

    [Fact]
    public async Task ReplayedJoinToken_IsRejected()
    {
        var (host, joinToken) = await SetUpAsync();
        await using var _ = host;
        using var first = await host.TokenAsync(Exchange(joinToken));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var second = await host.TokenAsync(Exchange(joinToken));

        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal("invalid_grant", (await WritHost.JsonAsync(second))["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task ConcurrentJoinTokenExchanges_IssueExactlyOneToken()
    {
        var (host, joinToken) = await SetUpAsync();
        await using var _ = host;

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => host.TokenAsync(Exchange(joinToken))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task ExpiredJoinToken_IsRejected()
    {
        var (host, joinToken) = await SetUpAsync();
        await using var _ = host;
        host.Time.Advance(TimeSpan.FromMinutes(11));

        using var response = await host.TokenAsync(Exchange(joinToken));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await WritHost.JsonAsync(response);
        Assert.Equal("invalid_grant", error["error"]!.GetValue<string>());
        Assert.Contains("expired", error["error_description"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownJoinToken_IsRejected()
    {
        await using var host = await WritHost.StartAsync();

        using var response = await host.TokenAsync(Exchange("wjt.bm90LWEtcmVhbC1pZA.c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (await WritHost.JsonAsync(response))["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task TamperedJoinTokenSecret_IsRejected_AndRealTokenStaysUsable()
    {
        var (host, joinToken) = await SetUpAsync();
        await using var _ = host;
        var tampered = joinToken[..^4] + (joinToken[^4..] == "AAAA" ? "BBBB" : "AAAA");

        using var refused = await host.TokenAsync(Exchange(tampered));
        using var accepted = await host.TokenAsync(Exchange(joinToken));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task MissingAudience_IsInvalidRequest_AndJoinTokenStaysUsable()
    {
        var (host, joinToken) = await SetUpAsync();
        await using var _ = host;

        using var refused = await host.TokenAsync(Exchange(joinToken, audience: null));
        using var accepted = await host.TokenAsync(Exchange(joinToken));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("invalid_request", (await WritHost.JsonAsync(refused))["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task SuspendedAgent_GetsNoToken_AndJoinTokenIsNotConsumed()
    {
        var (host, joinToken) = await SetUpAsync();
        await using var _ = host;
        await host.AdminOkAsync(HttpMethod.Post, "agents/research/suspend");

        using var refused = await host.TokenAsync(Exchange(joinToken));
        await host.AdminOkAsync(HttpMethod.Post, "agents/research/resume");
        using var accepted = await host.TokenAsync(Exchange(joinToken));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("invalid_grant", (await WritHost.JsonAsync(refused))["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task RetiredAgent_GetsNoToken()
    {
        var (host, joinToken) = await SetUpAsync();
        await using var _ = host;
        await host.AdminOkAsync(HttpMethod.Post, "agents/research/retire");

        using var response = await host.TokenAsync(Exchange(joinToken));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (await WritHost.JsonAsync(response))["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task AgentWithoutJoinTokenMethod_CannotGetJoinToken_Returns409()
    {
        await using var host = await WritHost.StartAsync();
        await host.AddOwnerAsync("alice");
        await host.RegisterAgentAsync("keyed", "alice", methods: ["registered_key"]);

        using var response = await host.AdminAsync(HttpMethod.Post, "join-tokens", new { agent = "keyed" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task UnsupportedSubjectTokenType_IsInvalidRequest()
    {
        var (host, joinToken) = await SetUpAsync();
        await using var _ = host;

        using var response = await host.TokenAsync(
            ("grant_type", TokenTypes.TokenExchangeGrant), ("subject_token", joinToken), ("subject_token_type", "urn:example:other"), ("audience", Audience));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await WritHost.JsonAsync(response))["error"]!.GetValue<string>());
    }
}
