using System.Net;
using System.Text.Json.Nodes;
using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests.Revocation;

public sealed class RevocationApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RevokedTokenByJti_IntrospectsInactive_AndIsAnnounced()
    {
        await using var f = await RevocationFixture.StartAsync();
        var token = await f.IdentityTokenAsync();
        var other = await f.IdentityTokenAsync();
        Assert.True(await f.IsActiveAsync(token));

        var ended = await f.RevokeAsync("token", RevocationFixture.Jti(token));

        var only = Assert.Single(ended);
        Assert.Equal("token", only!["kind"]!.GetValue<string>());
        Assert.Equal(RevocationFixture.Jti(token), only["subject"]!.GetValue<string>());
        Assert.False(await f.IsActiveAsync(token));
        Assert.True(await f.IsActiveAsync(other));
    }

    [Fact]
    public async Task TokenRevokedAtRfc7009Endpoint_IsAnnouncedAsATokenEvent()
    {
        await using var f = await RevocationFixture.StartAsync();
        var token = await f.IdentityTokenAsync();

        using var response = await f.Host.PostFormAsync("oauth2/revoke", [new("token", token)], f.ClientBasic);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(await f.IsActiveAsync(token));
        var log = await f.Host.AdminOkAsync(HttpMethod.Get, "revocations");
        var revocation = Assert.Single(log["events"]!.AsArray());
        Assert.Equal("token", revocation!["kind"]!.GetValue<string>());
        Assert.Equal(RevocationFixture.Jti(token), revocation["subject"]!.GetValue<string>());
    }

    [Fact]
    public async Task RevokedAgent_IsSuspended_AndItsTokensIntrospectInactive()
    {
        await using var f = await RevocationFixture.StartAsync();
        var token = await f.IdentityTokenAsync();

        var ended = await f.RevokeAsync("agent", "research");

        Assert.Equal("spiffe://writ.local/agent/research", Assert.Single(ended)!["subject"]!.GetValue<string>());
        Assert.False(await f.IsActiveAsync(token));
        var agent = await f.Host.AdminOkAsync(HttpMethod.Get, "agents/research");
        Assert.Equal("suspended", agent["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task RevokedOwner_SuspendsEveryAgent_AndReportsEach()
    {
        await using var f = await RevocationFixture.StartAsync();
        await f.Host.RegisterAgentAsync("writer", "alice");
        await f.Host.AddOwnerAsync("bob");
        await f.Host.RegisterAgentAsync("bobs", "bob");
        var research = await f.IdentityTokenAsync("research");
        var writer = await f.IdentityTokenAsync("writer");
        var bobs = await f.IdentityTokenAsync("bobs");

        var ended = await f.RevokeAsync("owner", "alice");

        Assert.Equal(
            ["agent:spiffe://writ.local/agent/research", "agent:spiffe://writ.local/agent/writer", "owner:alice"],
            ended.Select(e => e!["kind"]!.GetValue<string>() + ":" + e["subject"]!.GetValue<string>()).Order());
        Assert.False(await f.IsActiveAsync(research));
        Assert.False(await f.IsActiveAsync(writer));
        Assert.True(await f.IsActiveAsync(bobs));
    }

    [Fact]
    public async Task RevokedSigningKey_RejectsItsTokens_AndANewKeySignsAtOnce()
    {
        await using var f = await RevocationFixture.StartAsync();
        var token = await f.IdentityTokenAsync();
        var kid = RevocationFixture.Kid(token);

        var ended = await f.RevokeAsync("key", kid);

        Assert.Equal("key", Assert.Single(ended)!["kind"]!.GetValue<string>());
        Assert.False(await f.IsActiveAsync(token));
        Assert.DoesNotContain(kid, (await f.Host.JwksAsync()).Json, StringComparison.Ordinal);
        var fresh = await f.IdentityTokenAsync();
        Assert.NotEqual(kid, RevocationFixture.Kid(fresh));
        Assert.True(await f.IsActiveAsync(fresh));
    }

    [Fact]
    public async Task UnknownAgent_Returns404()
    {
        await using var f = await RevocationFixture.StartAsync();

        using var response = await f.Host.AdminAsync(HttpMethod.Post, "revocations", new { kind = "agent", id = "nobody" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task UnknownKey_Returns404()
    {
        await using var f = await RevocationFixture.StartAsync();

        using var response = await f.Host.AdminAsync(HttpMethod.Post, "revocations", new { kind = "key", id = "no-such-kid" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("{\"kind\":\"planet\",\"id\":\"x\"}", "invalid_kind")]
    [InlineData("{\"kind\":\"token\"}", "missing_id")]
    [InlineData("{\"kind\":\"token\",\"id\":\"a b\"}", "invalid_subject")]
    [InlineData("{\"kind\":\"token\",\"id\":\"x\",\"extra\":1}", null)]
    [InlineData("{\"kind\":\"token\",\"id\":\"x\",\"cause\":\"line\\nbreak\"}", "invalid_cause")]
    public async Task MalformedRevocation_Returns400(string json, string? code)
    {
        await using var f = await RevocationFixture.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "admin/v1/revocations") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", f.Host.AdminToken);

        using var response = await f.Host.Http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        if (code is not null)
        {
            Assert.Equal(code, (await WritHost.JsonAsync(response))["code"]!.GetValue<string>());
        }

        Assert.Empty((await f.Host.AdminOkAsync(HttpMethod.Get, "revocations"))["events"]!.AsArray());
    }

    [Fact]
    public async Task WithoutAdminToken_Returns401()
    {
        await using var f = await RevocationFixture.StartAsync();

        using var response = await f.Host.AdminAsync(HttpMethod.Post, "revocations", new { kind = "agent", id = "research" }, token: "wrong");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("active", (await f.Host.AdminOkAsync(HttpMethod.Get, "agents/research"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task OwnerScopedAdmin_CannotRevokeAnotherOwnersAgent_Returns403()
    {
        await using var f = await RevocationFixture.StartAsync();
        await f.Host.AddOwnerAsync("bob");
        var scoped = await f.Host.AdminOkAsync(HttpMethod.Post, "admin-tokens", new { name = "bob-admin", owner = "bob" });

        using var response = await f.Host.AdminAsync(HttpMethod.Post, "revocations", new { kind = "agent", id = "research" }, scoped["token"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("active", (await f.Host.AdminOkAsync(HttpMethod.Get, "agents/research"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task RevocationResponse_HoldsNoSecret()
    {
        await using var f = await RevocationFixture.StartAsync();
        var token = await f.IdentityTokenAsync();

        var ended = await f.RevokeAsync("agent", "research");

        var text = new JsonObject { ["ended"] = ended.DeepClone() }.ToJsonString();
        Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        Assert.DoesNotContain(f.Host.AdminToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(f.ClientSecret, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SuspendingAnAgentThroughTheAgentApi_IsAnnouncedAsAnAgentRevocation()
    {
        await using var f = await RevocationFixture.StartAsync();

        await f.Host.AdminOkAsync(HttpMethod.Post, "agents/research/suspend");

        var log = await f.Host.AdminOkAsync(HttpMethod.Get, "revocations");
        var revocation = Assert.Single(log["events"]!.AsArray());
        Assert.Equal("agent", revocation!["kind"]!.GetValue<string>());
        Assert.Equal("spiffe://writ.local/agent/research", revocation["subject"]!.GetValue<string>());
    }
}
