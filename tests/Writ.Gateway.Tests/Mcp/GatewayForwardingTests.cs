using System.Net;
using System.Text.Json.Nodes;
using Writ.Gateway.Tests.Infrastructure;

namespace Writ.Gateway.Tests.Mcp;

/// <summary>Inbound admission, per-call decisions, credential injection and tools/list filtering, through a real gateway.</summary>
public sealed class GatewayForwardingTests : IAsyncLifetime
{
    private GatewayWorld world = null!;

    public async ValueTask InitializeAsync() => world = await GatewayWorld.StartAsync();

    public ValueTask DisposeAsync() => world.DisposeAsync();

    [Fact]
    public async Task MissingToken_Returns401NamingResourceMetadata()
    {
        using var response = await world.PostAsync("mcp/github", FakeUpstream.Call("search_issues"), token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate).ToString();
        Assert.Contains("resource_metadata=\"" + world.Http.BaseAddress!.AbsoluteUri.TrimEnd('/') + "/.well-known/oauth-protected-resource/mcp/github\"", challenge, StringComparison.Ordinal);
        Assert.Empty(world.Upstream.Seen);
    }

    [Fact]
    public async Task ProtectedResourceMetadata_NamesResourceAndWritAsAuthorizationServer()
    {
        var metadata = JsonNode.Parse(await world.Http.GetStringAsync(".well-known/oauth-protected-resource/mcp/github", TestContext.Current.CancellationToken))!;

        Assert.Equal(world.Http.BaseAddress!.AbsoluteUri.TrimEnd('/') + "/mcp/github", metadata["resource"]!.GetValue<string>());
        Assert.Equal(Writ.Server.WritApp.GetStartupInfo(world.Writ).Issuer.TrimEnd('/'), metadata["authorization_servers"]![0]!.GetValue<string>());
        Assert.Equal(Writ.Core.Tasks.DpopProofValidator.SupportedAlgorithms, metadata["dpop_signing_alg_values_supported"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Fact]
    public async Task TokenForAnotherAudience_IsRejectedWith401()
    {
        var token = await world.TaskTokenAsync(audience: "https://other-gateway.test");

        using var response = await world.PostAsync("mcp/github", FakeUpstream.Call("search_issues", new { repository = "acme/web" }), token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", Assert.Single(response.Headers.WwwAuthenticate).ToString(), StringComparison.Ordinal);
        Assert.Empty(world.Upstream.Seen);
    }

    [Fact]
    public async Task ForgedToken_IsRejectedWith401()
    {
        var token = await world.TaskTokenAsync();
        var parts = token.Split('.');
        var forged = parts[0] + "." + parts[1] + "." + parts[2][..^4] + (parts[2].EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");

        using var response = await world.PostAsync("mcp/github", FakeUpstream.Call("search_issues", new { repository = "acme/web" }), forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(world.Upstream.Seen);
    }

    [Fact]
    public async Task AllowedCall_IsForwardedWithBrokeredSecretInsteadOfAgentToken()
    {
        var token = await world.TaskTokenAsync();

        using var response = await world.PostAsync("mcp/github", FakeUpstream.Call("search_issues", new { repository = "acme/web" }), token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await GatewayWorld.JsonAsync(response);
        Assert.Equal("called search_issues", body["result"]!["content"]![0]!["text"]!.GetValue<string>());
        var seen = Assert.Single(world.Upstream.Seen);
        Assert.Equal("Bearer " + GatewayWorld.UpstreamSecret, seen.Authorization);
        Assert.DoesNotContain(token, seen.Authorization ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RouteWithoutCredential_ForwardsNoAuthorizationAtAll()
    {
        var token = await world.TaskTokenAsync();

        using var response = await world.PostAsync("mcp/github-sse", FakeUpstream.Call("search_issues", new { repository = "acme/web" }), token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(Assert.Single(world.Upstream.Seen).Authorization);
    }

    [Fact]
    public async Task UndeclaredTool_IsRefusedWithJsonRpcErrorAndNotForwarded()
    {
        var token = await world.TaskTokenAsync();

        using var response = await world.PostAsync("mcp/github", FakeUpstream.Call("delete_repo", new { repository = "acme/web" }, id: 7), token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await GatewayWorld.JsonAsync(response);
        Assert.Equal(7, body["id"]!.GetValue<int>());
        Assert.Equal(-32001, body["error"]!["code"]!.GetValue<int>());
        Assert.Equal("intent.undeclared_tool", body["error"]!["data"]!["reason"]!.GetValue<string>());
        Assert.Contains("not part of the task's declared intent", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(world.Upstream.Seen);
    }

    [Fact]
    public async Task UndeclaredTarget_IsRefused()
    {
        var token = await world.TaskTokenAsync();

        using var response = await world.PostAsync("mcp/github", FakeUpstream.Call("search_issues", new { repository = "acme/payroll" }), token);

        var body = await GatewayWorld.JsonAsync(response);
        Assert.Equal("intent.undeclared_target", body["error"]!["data"]!["reason"]!.GetValue<string>());
        Assert.Empty(world.Upstream.Seen);
    }

    [Fact]
    public async Task BatchWithOneRefusedCall_ForwardsNothing()
    {
        var token = await world.TaskTokenAsync();
        var batch = "[" + FakeUpstream.Call("search_issues", new { repository = "acme/web" }, id: 1) + "," + FakeUpstream.Call("delete_repo", new { repository = "acme/web" }, id: 2) + "]";

        using var response = await world.PostAsync("mcp/github", batch, token);

        var body = (await GatewayWorld.JsonAsync(response)).AsArray();
        Assert.Equal(2, body.Count);
        Assert.Equal("batch.refused", body[0]!["error"]!["data"]!["reason"]!.GetValue<string>());
        Assert.Equal("intent.undeclared_tool", body[1]!["error"]!["data"]!["reason"]!.GetValue<string>());
        Assert.Empty(world.Upstream.Seen);
    }

    [Fact]
    public async Task ToolsList_IsFilteredToTheTaskIntent()
    {
        var token = await world.TaskTokenAsync();

        using var response = await world.PostAsync("mcp/github", """{"jsonrpc":"2.0","id":"l1","method":"tools/list"}""", token);

        var tools = (await GatewayWorld.JsonAsync(response))["result"]!["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToArray();
        Assert.Equal(["search_issues"], tools);
    }

    [Fact]
    public async Task ToolsListOverServerSentEvents_IsFilteredToTheTaskIntent()
    {
        var token = await world.TaskTokenAsync();

        using var response = await world.PostAsync("mcp/github-sse", """{"jsonrpc":"2.0","id":3,"method":"tools/list"}""", token);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var data = text.Split('\n').Single(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];
        var tools = JsonNode.Parse(data)!["result"]!["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToArray();
        Assert.Equal(["search_issues"], tools);
        Assert.Contains("id: 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtherMessages_PassThroughUnchanged()
    {
        var token = await world.TaskTokenAsync();
        const string Initialize = """{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""";

        using var response = await world.PostAsync("mcp/github", Initialize, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Initialize, Assert.Single(world.Upstream.Seen).Body);
    }
}
