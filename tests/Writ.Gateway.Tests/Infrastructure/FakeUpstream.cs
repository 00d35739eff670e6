using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Writ.Gateway.Tests.Infrastructure;

/// <summary>
/// A small MCP-shaped upstream on loopback that answers JSON-RPC: tools/list (three tools), resources/list,
/// resources/templates/list and prompts/list (an item the policies permit, one they do not, one without its key, and
/// a next cursor), tools/call
/// (echoes the name and the Authorization header it received), a slow tool, and a garbage mode.
/// Answers as SSE when the path ends in /sse. An initialize is answered with a new <c>Mcp-Session-Id</c>.
/// Records every request it saw.
/// </summary>
internal sealed class FakeUpstream : IAsyncDisposable
{
    private readonly WebApplication app;

    private FakeUpstream(WebApplication app, string url)
    {
        this.app = app;
        Url = url;
    }

    /// <summary>How long the event stream of a GET stays quiet before its one notification.</summary>
    public static readonly TimeSpan QuietStream = TimeSpan.FromSeconds(3);

    public const string StreamNotification = """{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"after a quiet spell"}}""";

    /// <summary>The <c>nextCursor</c> of every resource, template and prompt list answer.</summary>
    public const string ResourceCursor = "page-2";

    public string Url { get; }

    public List<(string Path, string? Authorization, string? Dpop, string Body)> Seen { get; } = [];

    public static string Initialize(int id = 0) =>
        "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";

    public static async Task<FakeUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeUpstream? self = null;
        app.Map("/{**path}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            lock (self!.Seen)
            {
                self.Seen.Add((context.Request.Path.Value!, context.Request.Headers.Authorization.FirstOrDefault(), context.Request.Headers["DPoP"].FirstOrDefault(), body));
            }

            if (context.Request.Path.Value!.EndsWith("/garbage", StringComparison.Ordinal))
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("<html>not json", context.RequestAborted);
                return;
            }

            if (HttpMethods.IsGet(context.Request.Method) && context.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.Ordinal))
            {
                // The server's own event stream: open at once, then quiet for longer than a short upstream timeout.
                context.Response.ContentType = "text/event-stream";
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(QuietStream, context.RequestAborted);
                await context.Response.WriteAsync("event: message\ndata: " + StreamNotification + "\n\n", context.RequestAborted);
                return;
            }

            if (body.Length == 0)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(new JsonObject { ["ok"] = true, ["path"] = context.Request.Path.Value + context.Request.QueryString.Value }.ToJsonString(), context.RequestAborted);
                return;
            }

            var message = JsonNode.Parse(body)!;
            var method = message["method"]?.GetValue<string>();
            if (method == "initialize")
            {
                context.Response.Headers["Mcp-Session-Id"] = "fake-" + Guid.NewGuid().ToString("N");
            }

            var id = message["id"]?.DeepClone();
            JsonNode result = method switch
            {
                "tools/list" => new JsonObject { ["tools"] = new JsonArray(Tool("search_issues"), Tool("delete_repo"), Tool("query")) },
                "resources/list" => Page("resources", "uri", "docs://public/readme", "file:///notes.md"),
                "resources/templates/list" => Page("resourceTemplates", "uriTemplate", "docs://public/readme", "file:///{path}"),
                "prompts/list" => Page("prompts", "name", "triage", "summarise"),
                "tools/call" => new JsonObject
                {
                    ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "called " + message["params"]!["name"]!.GetValue<string>() }),
                    ["authorization"] = context.Request.Headers.Authorization.FirstOrDefault(),
                },
                _ => new JsonObject(),
            };
            if (method == "tools/call" && message["params"]!["name"]!.GetValue<string>() == "slow")
            {
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            }

            var response = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["result"] = result }.ToJsonString();
            if (context.Request.Path.Value.EndsWith("/sse", StringComparison.Ordinal))
            {
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync("event: message\nid: 1\ndata: " + response + "\n\n", context.RequestAborted);
                return;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(response, Encoding.UTF8, context.RequestAborted);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var url = app.Urls.First();
        self = new FakeUpstream(app, url);
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }

    // One item the gateway world's policies permit, one they do not, and one without the key it is listed by, as a
    // broken upstream might send.
    private static JsonObject Page(string member, string key, string permitted, string forbidden) => new()
    {
        [member] = new JsonArray(
            new JsonObject { [key] = permitted, ["description"] = "permitted by policy" },
            new JsonObject { [key] = forbidden, ["description"] = "not permitted by policy" },
            new JsonObject { ["title"] = "keyless" }),
        ["nextCursor"] = ResourceCursor,
    };

    private static JsonObject Tool(string name) => new() { ["name"] = name, ["inputSchema"] = new JsonObject { ["type"] = "object" } };

    public static string Call(string tool, object? arguments = null, int id = 1) =>
        JsonSerializer.Serialize(new { jsonrpc = "2.0", id, method = "tools/call", @params = new { name = tool, arguments = arguments ?? new { } } });
}
