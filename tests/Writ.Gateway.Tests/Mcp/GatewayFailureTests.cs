using System.Net;
using Writ.Core.Audit;
using Writ.Gateway.Tests.Infrastructure;

namespace Writ.Gateway.Tests.Mcp;

/// <summary>Each failure mode of the gateway, named after its outcome.</summary>
public sealed class GatewayFailureTests
{
    [Fact]
    public async Task UpstreamUnreachable_Returns502()
    {
        await using var world = await GatewayWorld.StartAsync();
        var token = await world.TaskTokenAsync();

        using var response = await world.PostAsync("mcp/down", FakeUpstream.Call("search_issues", new { repository = "acme/web" }), token);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(-32002, (await GatewayWorld.JsonAsync(response))["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task UpstreamTimeout_Returns504()
    {
        await using var world = await GatewayWorld.StartAsync();
        var token = await world.TaskTokenAsync();

        using var response = await world.PostAsync("mcp/github", FakeUpstream.Call("slow", new { repository = "acme/web" }), token);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
    }

    [Fact]
    public async Task UpstreamGarbage_Returns502()
    {
        await using var world = await GatewayWorld.StartAsync();
        var token = await world.TaskTokenAsync();

        using var response = await world.PostAsync("mcp/garbage", """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", token);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(-32002, (await GatewayWorld.JsonAsync(response))["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task OversizedBody_Returns413()
    {
        await using var world = await GatewayWorld.StartAsync();
        var token = await world.TaskTokenAsync();

        using var response = await world.PostAsync("mcp/github", FakeUpstream.Call("search_issues", new { repository = "acme/web", q = new string('x', 8000) }), token);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(world.Upstream.Seen);
    }

    [Theory]
    [InlineData("{not json", -32700)]
    [InlineData("""{"jsonrpc":"1.0","id":1,"method":"tools/call"}""", -32600)]
    [InlineData("[]", -32600)]
    [InlineData("""{"jsonrpc":"2.0","id":{"x":1},"method":"tools/call"}""", -32600)]
    public async Task MalformedJsonRpc_Returns400WithJsonRpcError(string body, int code)
    {
        await using var world = await GatewayWorld.StartAsync();
        var token = await world.TaskTokenAsync();

        using var response = await world.PostAsync("mcp/github", body, token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (await GatewayWorld.JsonAsync(response))["error"]!["code"]!.GetValue<int>());
        Assert.Empty(world.Upstream.Seen);
    }

    [Fact]
    public async Task AuditUnavailable_RefusesTheCall()
    {
        await using var world = await GatewayWorld.StartAsync(audit: new BrokenAuditLog());
        var token = await world.TaskTokenAsync();

        using var response = await world.PostAsync("mcp/github", FakeUpstream.Call("search_issues", new { repository = "acme/web" }), token);

        var body = await GatewayWorld.JsonAsync(response);
        Assert.Equal("audit.unavailable", body["error"]!["data"]!["reason"]!.GetValue<string>());
        Assert.Empty(world.Upstream.Seen);
    }

    [Fact]
    public async Task ClientAbort_CancelsUpstreamAndIsAuditedAsAborted()
    {
        await using var world = await GatewayWorld.StartAsync();
        var token = await world.TaskTokenAsync();
        using var abort = new CancellationTokenSource();
        using var request = new HttpRequestMessage(HttpMethod.Post, "mcp/github") { Content = new StringContent(FakeUpstream.Call("slow", new { repository = "acme/web" }), System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var pending = world.Http.SendAsync(request, abort.Token);
        while (world.Upstream.Seen.Count == 0)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);

        using var next = await world.PostAsync("mcp/github", FakeUpstream.Call("search_issues", new { repository = "acme/web" }), token);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);

        // The aborted call's outcome is recorded (waited for, not timed).
        var aborted = false;
        while (!aborted)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            var page = await world.AdminAsync(HttpMethod.Get, "audit/records?type=tool.call");
            aborted = page["items"]!.AsArray().Any(r => r!.ToJsonString().Contains("client_aborted", StringComparison.Ordinal));
        }
    }

    private sealed class BrokenAuditLog : IAuditLog
    {
        public Task RecordDurableAsync(AuditEvent auditEvent, CancellationToken cancellationToken) => throw new AuditUnavailableException("broken for the test");

        public ValueTask RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken) => throw new AuditUnavailableException("broken for the test");
    }
}
