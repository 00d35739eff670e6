using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Writ.Core.Tasks;
using Writ.Gateway.Configuration;
using Writ.Gateway.Credentials;
using Writ.Gateway.Mcp;

namespace Writ.Gateway.Tests.Conformance;

/// <summary>
/// The event stream of a <c>tools/list</c> answer is the one response the gateway rewrites; everything in it other
/// than the tool list must reach the agent as the upstream sent it, in SSE terms.
/// </summary>
public sealed class EventStreamRelayTests
{
    private static readonly GatewayRoute Route = new(
        "/mcp/x", UpstreamKind.Mcp, new Uri("http://127.0.0.1:9/mcp"), null, [], "x", CredentialKind.None, null, null,
        new TargetRule("sys:x", null, string.Empty), new Dictionary<string, TargetRule>(), []);

    private static readonly TaskIntent Intent = new("test", [new ToolGrant("x.allowed", ["sys:x"])], Sensitivity.Internal, TimeSpan.FromMinutes(5));

    [Fact]
    public async Task ToolListSplitOverDataLines_IsFiltered()
    {
        var stream = "id: 7\nevent: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\ndata:  \"result\":{\"tools\":[{\"name\":\"allowed\"},{\"name\":\"hidden\"}]}}\n\n";

        var relayed = await RelayAsync(stream);

        Assert.Equal("id: 7\nevent: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"tools\":[{\"name\":\"allowed\"}]}}\n\n", relayed);
    }

    [Fact]
    public async Task MultiLineDataThatIsNotJson_IsRelayedLineByLine()
    {
        var relayed = await RelayAsync("event: note\ndata: first line\ndata: second line\n\n");

        Assert.Equal("event: note\ndata: first line\ndata: second line\n\n", relayed);
    }

    [Fact]
    public async Task PrimingEventAndRetryField_AreRelayedUnchanged()
    {
        var relayed = await RelayAsync("id: s1:0\nretry: 500\ndata: \n\n: keep-alive comment\n\n");

        Assert.Equal("id: s1:0\nretry: 500\ndata: \n\n: keep-alive comment\n\n", relayed);
    }

    private static async Task<string> RelayAsync(string upstreamStream)
    {
        var context = new DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(upstreamStream, Encoding.UTF8, "text/event-stream") };
        var transformer = new UpstreamTransformer(Route.Url!, UpstreamCredential.None, new ListFilter(Route, Intent, new Dictionary<string, ListKind> { ["1"] = ListKind.Tools }), null, 1 << 20);

        var copyBody = await transformer.TransformResponseAsync(context, response, TestContext.Current.CancellationToken);

        Assert.False(copyBody);
        return Encoding.UTF8.GetString(body.ToArray());
    }
}
