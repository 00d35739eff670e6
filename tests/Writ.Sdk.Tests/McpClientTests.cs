using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using ModelContextProtocol.Protocol;
using Writ.Sdk.Mcp;
using Writ.Sdk.Tests.Infrastructure;

namespace Writ.Sdk.Tests;

/// <summary>The official MCP client, connected through the SDK, carries the task token with a fresh DPoP proof on every request.</summary>
public sealed class McpClientTests
{
    [Fact]
    public async Task McpClient_SendsTaskTokenWithFreshProofPerRequest()
    {
        await using var world = await SdkWorld.StartAsync();
        await using var server = await McpServerHost.StartAsync();
        await using var writ = world.Client(await world.RegisterKeyedAgentAsync("research"));
        await using var task = await writ.StartTaskAsync(SdkWorld.Intent(), SdkWorld.Gateway, cancellationToken: TestContext.Current.CancellationToken);
        var ct = TestContext.Current.CancellationToken;

        await using (var mcp = await task.ConnectMcpClientAsync(server.Endpoint, cancellationToken: ct))
        {
            var tools = await mcp.ListToolsAsync(cancellationToken: ct);
            Assert.Contains(tools, t => t.Name == "search_issues");
            var result = await mcp.CallToolAsync("search_issues", new Dictionary<string, object?> { ["repository"] = "acme/web", ["query"] = "crash" }, cancellationToken: ct);
            Assert.Contains("acme/web", Assert.IsType<TextContentBlock>(result.Content[0]).Text, StringComparison.Ordinal);
        }

        List<(string Method, string? Authorization, string? Dpop)> seen;
        lock (server.Seen)
        {
            seen = [.. server.Seen];
        }

        Assert.True(seen.Count >= 3, $"expected initialize, tools/list and tools/call; saw {seen.Count} requests");
        Assert.All(seen, s => Assert.Equal("DPoP " + task.Token, s.Authorization));
        Assert.Equal(seen.Count, seen.Select(s => s.Dpop).Distinct().Count());
        var expectedAth = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(task.Token)));
        foreach (var (method, _, dpop) in seen)
        {
            var proof = Jws.ReadPayload(dpop!)!.Value;
            Assert.Equal(method, proof.GetProperty("htm").GetString());
            Assert.Equal(server.Endpoint.AbsoluteUri, proof.GetProperty("htu").GetString());
            Assert.Equal(expectedAth, proof.GetProperty("ath").GetString());
        }
    }

    [Fact]
    public async Task McpClientThroughGateway_DeclaredCallAllowed_UndeclaredTargetDenied()
    {
        await using var world = await SdkWorld.StartAsync();
        await using var server = await McpServerHost.StartAsync();
        await using var gateway = await WritProcess.GatewayAsync(world, server.Endpoint);
        await using var writ = world.Client(await world.RegisterKeyedAgentAsync("research"));
        await using var task = await writ.StartTaskAsync(SdkWorld.Intent(), SdkWorld.Gateway, cancellationToken: TestContext.Current.CancellationToken);
        var ct = TestContext.Current.CancellationToken;

        await using var mcp = await task.ConnectMcpClientAsync(new Uri(gateway.Url, "/mcp/github"), cancellationToken: ct);
        var allowed = await mcp.CallToolAsync("search_issues", new Dictionary<string, object?> { ["repository"] = "acme/web", ["query"] = "crash" }, cancellationToken: ct);
        Assert.Contains("acme/web", Assert.IsType<TextContentBlock>(allowed.Content[0]).Text, StringComparison.Ordinal);

        int before;
        lock (server.Seen)
        {
            before = server.Seen.Count;
        }

        await Assert.ThrowsAnyAsync<ModelContextProtocol.McpException>(() => mcp.CallToolAsync("search_issues", new Dictionary<string, object?> { ["repository"] = "acme/secret", ["query"] = "keys" }, cancellationToken: ct).AsTask());
        lock (server.Seen)
        {
            // Refused at the gateway: the call outside the intent never reached the MCP server.
            Assert.Equal(before, server.Seen.Count);
        }

        // The MCP server never saw the agent's token: the gateway does not pass it through.
        lock (server.Seen)
        {
            Assert.DoesNotContain(server.Seen, s => s.Authorization?.Contains(task.Token, StringComparison.Ordinal) == true);
        }
    }
}
