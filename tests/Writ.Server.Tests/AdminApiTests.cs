using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests;

public sealed class AdminApiTests
{
    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = System.Text.Json.Nodes.JsonNode.Parse(text)!.AsObject();
        Assert.Equal(code, body["code"]!.GetValue<string>());
        Assert.Equal((int)status, body["status"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(body["detail"]!.GetValue<string>()));
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> PostRawAsync(WritHost host, string path, string body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "admin/v1/" + path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", host.AdminToken);
        return await host.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task<int> OwnerCountAsync(WritHost host) =>
        (await host.Store.Owners.ListAsync(TestContext.Current.CancellationToken)).Count;

    [Fact]
    public async Task AnonymousAdminCall_Returns401()
    {
        await using var host = await WritHost.StartAsync();

        using var response = await host.Http.GetAsync("admin/v1/agents", TestContext.Current.CancellationToken);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task AnonymousAdminWrite_Returns401_AndWritesNothing()
    {
        await using var host = await WritHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "admin/v1/owners") { Content = new StringContent("{\"name\":\"mallory\"}", Encoding.UTF8, "application/json") };

        using var response = await host.Http.SendAsync(request, TestContext.Current.CancellationToken);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal(0, await OwnerCountAsync(host));
    }

    [Fact]
    public async Task UnknownAdminToken_Returns401()
    {
        await using var host = await WritHost.StartAsync();

        using var response = await host.AdminAsync(HttpMethod.Get, "owners", token: "wat.this-token-was-never-issued-by-writ");

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task NamedAdminToken_Works_UntilRevoked()
    {
        await using var host = await WritHost.StartAsync();
        var created = await host.AdminOkAsync(HttpMethod.Post, "admin-tokens", new { name = "ops" });
        var token = created["token"]!.GetValue<string>();

        await host.AdminOkAsync(HttpMethod.Post, "owners", new { name = "alice" }, token);
        using (var revoke = await host.AdminAsync(HttpMethod.Delete, "admin-tokens/ops"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using var afterRevoke = await host.AdminAsync(HttpMethod.Get, "owners", token: token);
        await AssertProblemAsync(afterRevoke, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task AdminTokenList_NeverShowsTokens()
    {
        await using var host = await WritHost.StartAsync();
        var created = await host.AdminOkAsync(HttpMethod.Post, "admin-tokens", new { name = "ops" });
        var token = created["token"]!.GetValue<string>();

        using var response = await host.AdminAsync(HttpMethod.Get, "admin-tokens");
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Contains("\"ops\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"token\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hash", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ChangesRecordWhichNamedTokenMadeThem()
    {
        await using var host = await WritHost.StartAsync();
        var ops = (await host.AdminOkAsync(HttpMethod.Post, "admin-tokens", new { name = "ops" }))["token"]!.GetValue<string>();

        await host.AdminOkAsync(HttpMethod.Post, "owners", new { name = "alice" }, ops);
        await host.AdminOkAsync(HttpMethod.Post, "agents", new { name = "research", owner = "alice" }, ops);
        var joinToken = await host.AdminOkAsync(HttpMethod.Post, "join-tokens", new { agent = "research" }, ops);

        var changes = await host.Store.ChangeLog.ListRecentAsync(10, TestContext.Current.CancellationToken);
        Assert.Contains(changes, c => c is { Actor: "bootstrap", Action: "admin_token.create", Target: "ops" });
        Assert.Contains(changes, c => c is { Actor: "ops", Action: "owner.add", Target: "alice" });
        Assert.Contains(changes, c => c is { Actor: "ops", Action: "agent.register", Target: "research" });
        Assert.Contains(changes, c => c is { Actor: "ops", Action: "join_token.create", Target: "research" });
        Assert.Equal("ops", joinToken["createdBy"]!.GetValue<string>());
        Assert.All(changes, c => Assert.DoesNotContain(joinToken["token"]!.GetValue<string>(), c.Detail ?? string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ScopedTokenOtherOwner_Returns403()
    {
        await using var host = await WritHost.StartAsync();
        await host.AddOwnerAsync("alice");
        await host.AddOwnerAsync("bob");
        await host.RegisterAgentAsync("bobs-agent", "bob");
        var scoped = (await host.AdminOkAsync(HttpMethod.Post, "admin-tokens", new { name = "alice-ops", owner = "alice" }))["token"]!.GetValue<string>();

        using var register = await host.AdminAsync(HttpMethod.Post, "agents", new { name = "sneaky", owner = "bob" }, scoped);
        using var suspend = await host.AdminAsync(HttpMethod.Post, "agents/bobs-agent/suspend", token: scoped);
        using var join = await host.AdminAsync(HttpMethod.Post, "join-tokens", new { agent = "bobs-agent" }, scoped);
        using var show = await host.AdminAsync(HttpMethod.Get, "agents/bobs-agent", token: scoped);

        await AssertProblemAsync(register, HttpStatusCode.Forbidden, "forbidden");
        await AssertProblemAsync(suspend, HttpStatusCode.Forbidden, "forbidden");
        await AssertProblemAsync(join, HttpStatusCode.Forbidden, "forbidden");
        await AssertProblemAsync(show, HttpStatusCode.Forbidden, "forbidden");
        Assert.Null(await host.Store.Agents.GetAsync("sneaky", TestContext.Current.CancellationToken));
        Assert.Equal(Writ.Core.Domain.AgentStatus.Active, (await host.Store.Agents.GetAsync("bobs-agent", TestContext.Current.CancellationToken))!.Status);
    }

    [Fact]
    public async Task ScopedToken_ManagesOwnAgents_AndSeesOnlyThem()
    {
        await using var host = await WritHost.StartAsync();
        await host.AddOwnerAsync("alice");
        await host.AddOwnerAsync("bob");
        await host.RegisterAgentAsync("bobs-agent", "bob");
        var scoped = (await host.AdminOkAsync(HttpMethod.Post, "admin-tokens", new { name = "alice-ops", owner = "alice" }))["token"]!.GetValue<string>();

        await host.AdminOkAsync(HttpMethod.Post, "agents", new { name = "alices-agent", owner = "alice" }, scoped);
        await host.AdminOkAsync(HttpMethod.Post, "join-tokens", new { agent = "alices-agent" }, scoped);
        await host.AdminOkAsync(HttpMethod.Post, "agents/alices-agent/suspend", token: scoped);
        var list = await host.AdminOkAsync(HttpMethod.Get, "agents", token: scoped);

        var names = list["items"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["alices-agent"], names);
    }

    [Theory]
    [InlineData("POST", "owners")]
    [InlineData("POST", "admin-tokens")]
    [InlineData("GET", "admin-tokens")]
    [InlineData("POST", "issuers")]
    [InlineData("GET", "clients")]
    [InlineData("POST", "keys/rotate")]
    public async Task ScopedToken_CannotManageGlobalResources_Returns403(string method, string path)
    {
        await using var host = await WritHost.StartAsync();
        await host.AddOwnerAsync("alice");
        var scoped = (await host.AdminOkAsync(HttpMethod.Post, "admin-tokens", new { name = "alice-ops", owner = "alice" }))["token"]!.GetValue<string>();

        using var response = await host.AdminAsync(new HttpMethod(method), path, method == "POST" ? new { name = "x" } : null, scoped);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task MalformedJson_Returns400_AndWritesNothing()
    {
        await using var host = await WritHost.StartAsync();

        using var response = await PostRawAsync(host, "owners", "{\"name\": \"alice\"");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_json");
        Assert.Equal(0, await OwnerCountAsync(host));
    }

    [Fact]
    public async Task UnknownField_Returns400_AndWritesNothing()
    {
        await using var host = await WritHost.StartAsync();

        using var response = await PostRawAsync(host, "owners", "{\"name\":\"alice\",\"isAdmin\":true}");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_json");
        Assert.Equal(0, await OwnerCountAsync(host));
    }

    [Fact]
    public async Task DuplicateJsonMember_Returns400_AndWritesNothing()
    {
        await using var host = await WritHost.StartAsync();

        using var response = await PostRawAsync(host, "owners", "{\"name\":\"alice\",\"name\":\"bob\"}");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_json");
        Assert.Equal(0, await OwnerCountAsync(host));
    }

    [Fact]
    public async Task DeeplyNestedJson_Returns400()
    {
        await using var host = await WritHost.StartAsync();
        var nested = "{\"name\":\"a\",\"metadata\":" + string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200) + "}";

        using var response = await PostRawAsync(host, "agents", nested);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_json");
    }

    [Fact]
    public async Task OversizedJson_Returns413_AndWritesNothing()
    {
        await using var host = await WritHost.StartAsync();

        using var response = await PostRawAsync(host, "owners", "{\"name\":\"alice\",\"displayName\":\"" + new string('a', 200_000) + "\"}");

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "body_too_large");
        Assert.Equal(0, await OwnerCountAsync(host));
    }

    [Fact]
    public async Task WrongContentType_Returns415()
    {
        await using var host = await WritHost.StartAsync();

        using var response = await PostRawAsync(host, "owners", "name=alice", "application/x-www-form-urlencoded");

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Theory]
    [InlineData("Alice")]
    [InlineData("-alice")]
    [InlineData("al ice")]
    [InlineData("")]
    public async Task InvalidOwnerName_Returns400(string name)
    {
        await using var host = await WritHost.StartAsync();

        using var response = await host.AdminAsync(HttpMethod.Post, "owners", new { name });

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_name");
        Assert.Equal(0, await OwnerCountAsync(host));
    }

    [Fact]
    public async Task DuplicateOwner_Returns409()
    {
        await using var host = await WritHost.StartAsync();
        await host.AddOwnerAsync("alice");

        using var response = await host.AdminAsync(HttpMethod.Post, "owners", new { name = "alice" });

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "owner_exists");
    }

    [Fact]
    public async Task AgentWithUnknownOwner_Returns400_AndWritesNothing()
    {
        await using var host = await WritHost.StartAsync();

        using var response = await host.AdminAsync(HttpMethod.Post, "agents", new { name = "research", owner = "nobody" });

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "owner_not_found");
        Assert.Empty(await host.Store.Agents.ListAsync(null, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AgentWithPrivateKey_Returns400()
    {
        await using var host = await WritHost.StartAsync();
        await host.AddOwnerAsync("alice");
        using var key = new AgentKey("k");
        var jwk = key.PublicJwk;
        jwk["d"] = "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI";

        using var response = await host.AdminAsync(HttpMethod.Post, "agents", new { name = "research", owner = "alice", publicKeys = new[] { jwk } });

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_jwk");
    }

    [Fact]
    public async Task AgentShowsSpiffeIdAndKeys()
    {
        await using var host = await WritHost.StartAsync(trustDomain: "acme.test");
        await host.AddOwnerAsync("alice");
        using var key = new AgentKey("k1");

        var agent = await host.RegisterAgentAsync("research", "alice", publicKeys: new[] { key.PublicJwk });

        Assert.Equal("spiffe://acme.test/agent/research", agent["spiffeId"]!.GetValue<string>());
        Assert.Equal("active", agent["status"]!.GetValue<string>());
        Assert.Equal("k1", agent["publicKeys"]![0]!["kid"]!.GetValue<string>());
        Assert.Equal(3, agent["attestationMethods"]!.AsArray().Count);
    }

    [Fact]
    public async Task RetiredAgent_CannotResume_Returns409()
    {
        await using var host = await WritHost.StartAsync();
        await host.AddOwnerAsync("alice");
        await host.RegisterAgentAsync("research", "alice");
        await host.AdminOkAsync(HttpMethod.Post, "agents/research/retire");

        using var response = await host.AdminAsync(HttpMethod.Post, "agents/research/resume");

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "agent_retired");
    }

    [Fact]
    public async Task UnknownAgent_Returns404()
    {
        await using var host = await WritHost.StartAsync();

        using var response = await host.AdminAsync(HttpMethod.Get, "agents/ghost");

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "agent_not_found");
    }

    [Fact]
    public async Task JoinTokenWithTooLongTtl_Returns400()
    {
        await using var host = await WritHost.StartAsync();
        await host.AddOwnerAsync("alice");
        await host.RegisterAgentAsync("research", "alice");

        using var response = await host.AdminAsync(HttpMethod.Post, "join-tokens", new { agent = "research", ttl = "P30D" });

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_ttl");
    }

    [Fact]
    public async Task JoinTokenTtl_AcceptsSecondsAndIso()
    {
        await using var host = await WritHost.StartAsync();
        await host.AddOwnerAsync("alice");
        await host.RegisterAgentAsync("research", "alice");
        var now = host.Time.GetUtcNow();

        var iso = await host.AdminOkAsync(HttpMethod.Post, "join-tokens", new { agent = "research", ttl = "PT2M" });
        var seconds = await host.AdminOkAsync(HttpMethod.Post, "join-tokens", new { agent = "research", ttl = 60 });

        Assert.Equal(now + TimeSpan.FromMinutes(2), iso["expiresAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(now + TimeSpan.FromMinutes(1), seconds["expiresAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task IssuerWithRuleForUnknownAgent_Returns400()
    {
        await using var host = await WritHost.StartAsync();

        using var response = await host.AdminAsync(HttpMethod.Post, "issuers", new
        {
            name = "ci",
            issuer = "https://token.actions.githubusercontent.com",
            jwksUri = "https://token.actions.githubusercontent.com/.well-known/jwks",
            audience = "writ",
            rules = new[] { new { claims = new Dictionary<string, string> { ["repository"] = "acme/app" }, agent = "ghost" } },
        });

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "agent_not_found");
        Assert.Empty(await host.Store.ExternalIssuers.ListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task IssuerWithPlainHttpJwksUri_Returns400()
    {
        await using var host = await WritHost.StartAsync();
        await host.AddOwnerAsync("alice");
        await host.RegisterAgentAsync("research", "alice");

        using var response = await host.AdminAsync(HttpMethod.Post, "issuers", new
        {
            name = "ci",
            issuer = "https://ci.example",
            jwksUri = "http://ci.example/jwks",
            audience = "writ",
            rules = new[] { new { claims = new Dictionary<string, string> { ["sub"] = "x" }, agent = "research" } },
        });

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_jwks_uri");
    }

    [Fact]
    public async Task ClientSecret_IsShownOnce_AndNeverListed()
    {
        await using var host = await WritHost.StartAsync();

        var created = await host.AdminOkAsync(HttpMethod.Post, "clients", new { name = "gateway", authMethod = "client_secret" });
        using var list = await host.AdminAsync(HttpMethod.Get, "clients");
        var text = await list.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        var secret = created["clientSecret"]!.GetValue<string>();
        Assert.True(secret.Length >= 40);
        Assert.Contains("\"gateway\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("clientSecret", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrivateKeyJwtClientWithoutJwks_Returns400()
    {
        await using var host = await WritHost.StartAsync();

        using var response = await host.AdminAsync(HttpMethod.Post, "clients", new { name = "pdp", authMethod = "private_key_jwt" });

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_jwks");
    }

    [Fact]
    public async Task UnknownAdminPath_Anonymous_Returns401_Authenticated_Returns404()
    {
        await using var host = await WritHost.StartAsync();

        using var anonymous = await host.Http.GetAsync("admin/v1/secrets", TestContext.Current.CancellationToken);
        using var authenticated = await host.AdminAsync(HttpMethod.Get, "secrets");

        await AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized, "unauthorized");
        await AssertProblemAsync(authenticated, HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task RepeatedOwnerQuery_Returns400()
    {
        await using var host = await WritHost.StartAsync();

        using var response = await host.AdminAsync(HttpMethod.Get, "agents?owner=a&owner=b");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "invalid_owner");
    }

    [Fact]
    public async Task ChangeLog_ShowsActorsNewestFirst_ToUnscopedTokensOnly()
    {
        await using var host = await WritHost.StartAsync();
        await host.AddOwnerAsync("alice");
        var scoped = (await host.AdminOkAsync(HttpMethod.Post, "admin-tokens", new { name = "alice-ops", owner = "alice" }))["token"]!.GetValue<string>();
        await host.AdminOkAsync(HttpMethod.Post, "agents", new { name = "research", owner = "alice" }, scoped);

        var changes = await host.AdminOkAsync(HttpMethod.Get, "changes?limit=2");
        using var forbidden = await host.AdminAsync(HttpMethod.Get, "changes", token: scoped);
        using var badLimit = await host.AdminAsync(HttpMethod.Get, "changes?limit=0");

        var items = changes["items"]!.AsArray();
        Assert.Equal(2, items.Count);
        Assert.Equal("alice-ops", items[0]!["actor"]!.GetValue<string>());
        Assert.Equal("agent.register", items[0]!["action"]!.GetValue<string>());
        Assert.Equal("bootstrap", items[1]!["actor"]!.GetValue<string>());
        await AssertProblemAsync(forbidden, HttpStatusCode.Forbidden, "forbidden");
        await AssertProblemAsync(badLimit, HttpStatusCode.BadRequest, "invalid_limit");
    }
}
