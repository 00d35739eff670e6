using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Writ.Gateway.Tests.Infrastructure;

namespace Writ.Gateway.Tests.Mcp;

/// <summary>An MCP server over stdio, launched by the gateway and bridged to Streamable HTTP.</summary>
public sealed class GatewayStdioTests : IAsyncLifetime
{
    private const string Initialize = """{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""";

    private GatewayWorld world = null!;

    public async ValueTask InitializeAsync() => world = await GatewayWorld.StartAsync();

    public ValueTask DisposeAsync() => world.DisposeAsync();

    [Fact]
    public async Task StdioSession_InitializesListsFilteredAndCallsThroughTheBridge()
    {
        var token = await world.TaskTokenAsync();
        using var init = await world.PostAsync("mcp/stdio", Initialize, token);
        Assert.Equal(HttpStatusCode.OK, init.StatusCode);
        var session = Assert.Single(init.Headers.GetValues("Mcp-Session-Id"));
        Assert.Equal("stdio-test", (await GatewayWorld.JsonAsync(init))["result"]!["serverInfo"]!["name"]!.GetValue<string>());

        using var initialized = await SendAsync(token, session, """{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        Assert.Equal(HttpStatusCode.Accepted, initialized.StatusCode);

        using var list = await SendAsync(token, session, """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""");
        var tools = (await GatewayWorld.JsonAsync(list))["result"]!["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>());
        Assert.Equal(["search_issues"], tools);

        using var call = await SendAsync(token, session, FakeUpstream.Call("search_issues", new { repository = "acme/web" }, id: 2));
        Assert.Equal("stdio called search_issues", (await GatewayWorld.JsonAsync(call))["result"]!["content"]![0]!["text"]!.GetValue<string>());

        using var refused = await SendAsync(token, session, FakeUpstream.Call("delete_repo", new { repository = "acme/web" }, id: 3));
        Assert.Equal("intent.undeclared_tool", (await GatewayWorld.JsonAsync(refused))["error"]!["data"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task StdioSessionOfAnotherTask_Returns404()
    {
        var token = await world.TaskTokenAsync();
        using var init = await world.PostAsync("mcp/stdio", Initialize, token);
        var session = Assert.Single(init.Headers.GetValues("Mcp-Session-Id"));
        var other = await world.TaskTokenAsync(agent: "other");

        using var response = await SendAsync(other, session, """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(string token, string session, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "mcp/stdio") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Mcp-Session-Id", session);
        return await world.Http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
