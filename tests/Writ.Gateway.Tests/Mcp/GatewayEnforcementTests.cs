using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Writ.Gateway.Tests.Infrastructure;

namespace Writ.Gateway.Tests.Mcp;

/// <summary>Revocation, audit of outcomes and HTTP API operations named as tools.</summary>
public sealed class GatewayEnforcementTests : IAsyncLifetime
{
    private GatewayWorld world = null!;

    public async ValueTask InitializeAsync() => world = await GatewayWorld.StartAsync();

    public ValueTask DisposeAsync() => world.DisposeAsync();

    [Fact]
    public async Task RevokedToken_IsRejectedWith401()
    {
        var token = await world.TaskTokenAsync();
        var jti = JsonNode.Parse(Base64Url(token.Split('.')[1]))!["jti"]!.GetValue<string>();
        using (var first = await world.PostAsync("mcp/github", FakeUpstream.Call("search_issues", new { repository = "acme/web" }), token))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        await world.AdminAsync(HttpMethod.Post, "revocations", new { kind = "token", id = jti });

        // The revocation reaches the gateway through the event stream; wait for it without a timing assert.
        HttpStatusCode status;
        do
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            using var next = await world.PostAsync("mcp/github", FakeUpstream.Call("search_issues", new { repository = "acme/web" }), token);
            status = next.StatusCode;
        }
        while (status == HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task ForwardedCall_IsAuditedWithStatusAndLatency()
    {
        var token = await world.TaskTokenAsync();
        using (var response = await world.PostAsync("mcp/github", FakeUpstream.Call("search_issues", new { repository = "acme/web" }), token))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        JsonNode? record = null;
        while (record is null)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            var page = await world.AdminAsync(HttpMethod.Get, "audit/records?type=tool.call");
            record = page["items"]!.AsArray().FirstOrDefault();
        }

        var text = record.ToJsonString();
        Assert.Contains("github.search_issues repo:acme/web", text, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"200\"", text, StringComparison.Ordinal);
        Assert.Contains("latency_ms", text, StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayWorld.UpstreamSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(token, text, StringComparison.Ordinal);

        var decisions = await world.AdminAsync(HttpMethod.Get, "audit/records?type=decision");
        Assert.Contains(decisions["items"]!.AsArray(), r => r!.ToJsonString().Contains("allow", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HttpApiOperation_IsDecidedAsItsToolAndForwarded()
    {
        var token = await world.TaskTokenAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/github/issues?repository=acme/web");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await world.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(world.Upstream.Seen);
        Assert.Equal("/api/issues", seen.Path);
        Assert.Equal("Bearer " + GatewayWorld.UpstreamSecret, seen.Authorization);
    }

    [Fact]
    public async Task HttpApiOperationOnUndeclaredTarget_Returns403()
    {
        var token = await world.TaskTokenAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/github/issues?repository=acme/payroll");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await world.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("intent.undeclared_target", (await GatewayWorld.JsonAsync(response))["reason"]!.GetValue<string>());
        Assert.Empty(world.Upstream.Seen);
    }

    [Fact]
    public async Task HttpApiPathNotNamedAsTool_Returns404()
    {
        var token = await world.TaskTokenAsync();
        using var request = new HttpRequestMessage(HttpMethod.Delete, "api/github/issues?repository=acme/web");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await world.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(world.Upstream.Seen);
    }

    private static string Base64Url(string part) => System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(part));
}
