using System.Net;
using Writ.Gateway.Tests.Infrastructure;

namespace Writ.Gateway.Tests.Mcp;

/// <summary>
/// The upstream timeout bounds a request waiting for its answer; a GET event stream, quiet until the server has
/// something to say, has its own idle limit. The upstream timeout here (1 s) is shorter than the stream's quiet spell.
/// </summary>
public sealed class GatewayStreamTests : IAsyncLifetime
{
    private GatewayWorld world = null!;

    public async ValueTask InitializeAsync() => world = await GatewayWorld.StartAsync(limits: """{ "upstreamTimeoutSeconds": 1, "streamIdleTimeoutSeconds": 60 }""");

    public ValueTask DisposeAsync() => world.DisposeAsync();

    [Fact]
    public async Task QuietEventStream_OutlivesTheUpstreamTimeout_AndDeliversTheServersMessage()
    {
        var token = await world.TaskTokenAsync();

        using var response = await world.SendAsync(HttpMethod.Get, "mcp/github", null, token, session: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(FakeUpstream.StreamNotification, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventStreamQuietPastItsRoutesIdleLimit_IsClosedBeforeTheMessage()
    {
        var token = await world.TaskTokenAsync();

        using var response = await world.SendAsync(HttpMethod.Get, "mcp/github-brief", null, token, session: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        }
        catch (HttpRequestException)
        {
            // The gateway aborts a stream it cut off; the agent sees the connection end.
            text = string.Empty;
        }

        Assert.DoesNotContain(FakeUpstream.StreamNotification, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnansweredPost_StillTimesOutWith504()
    {
        var token = await world.TaskTokenAsync();

        using var response = await world.PostAsync("mcp/github", FakeUpstream.Call("slow", new { repository = "acme/web" }), token);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal(-32002, (await GatewayWorld.JsonAsync(response))["error"]!["code"]!.GetValue<int>());
    }
}
