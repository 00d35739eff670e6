using System.Net;
using Writ.Gateway.Configuration;
using Writ.Gateway.Hosting;
using Writ.Gateway.Tests.Infrastructure;
using Writ.Server;

namespace Writ.Gateway.Tests.Mcp;

/// <summary>An MCP session id is usable only by the task and agent that created it through this gateway.</summary>
public sealed class GatewaySessionTests : IAsyncLifetime
{
    private const string ListTools = """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""";

    private GatewayWorld world = null!;

    public async ValueTask InitializeAsync() => world = await GatewayWorld.StartAsync();

    public ValueTask DisposeAsync() => world.DisposeAsync();

    [Fact]
    public async Task OwnSession_IsForwarded()
    {
        var token = await world.TaskTokenAsync();
        var session = await InitializeAsync(token);

        using var response = await world.SendAsync(HttpMethod.Post, "mcp/github", ListTools, token, session);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, world.Upstream.Seen.Count);
    }

    [Fact]
    public async Task SessionOfAnotherTask_Returns404_IsNotForwarded_AndIsRecorded()
    {
        var owner = await world.TaskTokenAsync();
        var session = await InitializeAsync(owner);
        var intruder = await world.TaskTokenAsync(agent: "intruder");

        using var response = await world.SendAsync(HttpMethod.Post, "mcp/github", FakeUpstream.Call("search_issues", new { repository = "acme/web" }), intruder, session);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(-32600, (await GatewayWorld.JsonAsync(response))["error"]!["code"]!.GetValue<int>());
        Assert.Single(world.Upstream.Seen);
        var record = await world.WaitForRecordAsync("decision", r => (string?)r["reason"] == "session.foreign");
        Assert.Equal("deny", (string?)record["decision"]);
        Assert.Equal("/mcp/github session", (string?)record["target"]);
        Assert.EndsWith("/agent/intruder", (string?)record["agent"], StringComparison.Ordinal);
        Assert.DoesNotContain(session, record.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionOfAnotherTaskOfTheSameAgent_Returns404()
    {
        var first = await world.TaskTokenAsync();
        var session = await InitializeAsync(first);
        var second = await world.TaskTokenAsync();

        using var response = await world.SendAsync(HttpMethod.Post, "mcp/github", ListTools, second, session);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Single(world.Upstream.Seen);
    }

    [Fact]
    public async Task EventStreamOfAnotherTasksSession_Returns404()
    {
        var session = await InitializeAsync(await world.TaskTokenAsync());
        var intruder = await world.TaskTokenAsync(agent: "intruder");

        using var response = await world.SendAsync(HttpMethod.Get, "mcp/github", null, intruder, session);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Single(world.Upstream.Seen);
    }

    [Fact]
    public async Task DeleteOfAnotherTasksSession_Returns404_AndTheSessionLives()
    {
        var owner = await world.TaskTokenAsync();
        var session = await InitializeAsync(owner);
        var intruder = await world.TaskTokenAsync(agent: "intruder");

        using (var delete = await world.SendAsync(HttpMethod.Delete, "mcp/github", null, intruder, session))
        {
            Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        }

        using var response = await world.SendAsync(HttpMethod.Post, "mcp/github", ListTools, owner, session);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task SessionTheGatewayNeverSawCreated_Returns404_AndIsRecorded()
    {
        var token = await world.TaskTokenAsync();

        using var response = await world.SendAsync(HttpMethod.Post, "mcp/github", ListTools, token, "made-up-session");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(world.Upstream.Seen);
        await world.WaitForRecordAsync("decision", r => (string?)r["reason"] == "session.unknown");
    }

    [Fact]
    public async Task SessionOfAnotherRoute_Returns404()
    {
        var token = await world.TaskTokenAsync();
        var session = await InitializeAsync(token);

        using var response = await world.SendAsync(HttpMethod.Post, "mcp/github-sse", ListTools, token, session);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task DeletedSession_Returns404Afterwards()
    {
        var token = await world.TaskTokenAsync();
        var session = await InitializeAsync(token);
        using (var delete = await world.SendAsync(HttpMethod.Delete, "mcp/github", null, token, session))
        {
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        }

        using var response = await world.SendAsync(HttpMethod.Post, "mcp/github", ListTools, token, session);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(2, world.Upstream.Seen.Count);
    }

    [Fact]
    public async Task TwoSessionIds_Return400()
    {
        var token = await world.TaskTokenAsync();
        var session = await InitializeAsync(token);
        using var request = new HttpRequestMessage(HttpMethod.Post, "mcp/github") { Content = new StringContent(ListTools, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        request.Headers.TryAddWithoutValidation("Mcp-Session-Id", [session, "fake-other"]);

        using var response = await world.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single(world.Upstream.Seen);
    }

    [Fact]
    public async Task AfterAGatewayRestart_AnOldSession_Returns404_AndANewInitializeWorks()
    {
        var token = await world.TaskTokenAsync();
        var session = await InitializeAsync(token);
        var info = WritApp.GetStartupInfo(world.Writ);
        var settings = GatewayConfigLoader.Parse(GatewayWorld.Config(info.Issuer, info.AdminToken, world.Data, world.Upstream.Url), world.Data);
        await using var restarted = GatewayApp.Build(settings);
        await restarted.StartAsync(TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = new Uri(restarted.Urls.First().TrimEnd('/') + "/") };

        using (var old = await SendAsync(http, ListTools, token, session))
        {
            Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
        }

        using var again = await SendAsync(http, FakeUpstream.Initialize(), token, null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var fresh = Assert.Single(again.Headers.GetValues("Mcp-Session-Id"));
        using var used = await SendAsync(http, ListTools, token, fresh);
        Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        await restarted.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task StdioSessionOfAnotherTask_IsRecordedAsRefused()
    {
        var owner = await world.TaskTokenAsync();
        using var init = await world.PostAsync("mcp/stdio", FakeUpstream.Initialize(), owner);
        var session = Assert.Single(init.Headers.GetValues("Mcp-Session-Id"));
        var intruder = await world.TaskTokenAsync(agent: "intruder");

        using var response = await world.SendAsync(HttpMethod.Post, "mcp/stdio", ListTools, intruder, session);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var record = await world.WaitForRecordAsync("decision", r => (string?)r["reason"] == "session.foreign");
        Assert.Equal("/mcp/stdio session", (string?)record["target"]);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string body, string token, string? session)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "mcp/github") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        if (session is not null)
        {
            request.Headers.Add("Mcp-Session-Id", session);
        }

        return await http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<string> InitializeAsync(string token)
    {
        using var response = await world.PostAsync("mcp/github", FakeUpstream.Initialize(), token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        _ = await GatewayWorld.JsonAsync(response);
        return Assert.Single(response.Headers.GetValues("Mcp-Session-Id"));
    }
}
