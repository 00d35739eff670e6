using System.Net;
using System.Text.Json.Nodes;
using Writ.Gateway.Tests.Infrastructure;

namespace Writ.Gateway.Tests.Mcp;

/// <summary>
/// resources/list, resources/templates/list and prompts/list answers are filtered to what the task may read or get,
/// through a real gateway in front of the fake upstream: /mcp/docs reads with the fixed target repo:acme/web,
/// /mcp/github takes its target from an argument.
/// </summary>
public sealed class GatewayListFilterTests : IAsyncLifetime
{
    // Declares only another repository, so nothing on /mcp/docs is within the intent.
    private const string OtherRepositoryIntent = """[{"type":"writ_task","purpose":"triage","tools":[{"tool":"github.search_issues","targets":["repo:acme/api"]}],"sensitivity":"internal","max_duration":"PT10M"}]""";

    private GatewayWorld world = null!;

    public async ValueTask InitializeAsync() => world = await GatewayWorld.StartAsync();

    public ValueTask DisposeAsync() => world.DisposeAsync();

    [Theory]
    [InlineData("resources/list", "resources", "uri", "docs://public/readme")]
    [InlineData("resources/templates/list", "resourceTemplates", "uriTemplate", "docs://public/readme")]
    [InlineData("prompts/list", "prompts", "name", "triage")]
    public async Task ListOnRouteWithDeclaredTarget_KeepsPermittedItemsOnlyAndCursor(string method, string member, string key, string expected)
    {
        var result = await ListAsync("mcp/docs", method, await world.TaskTokenAsync());

        Assert.Equal([expected], Keys(result, member, key));
        Assert.Equal(FakeUpstream.ResourceCursor, result["nextCursor"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("resources/list", "resources")]
    [InlineData("resources/templates/list", "resourceTemplates")]
    [InlineData("prompts/list", "prompts")]
    public async Task ListOnRouteWithUndeclaredTarget_HidesItemsButKeepsCursor(string method, string member)
    {
        var result = await ListAsync("mcp/docs", method, await world.TaskTokenAsync(intent: OtherRepositoryIntent));

        Assert.Empty(result[member]!.AsArray());
        Assert.Equal(FakeUpstream.ResourceCursor, result["nextCursor"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("resources/list", "resources")]
    [InlineData("resources/templates/list", "resourceTemplates")]
    public async Task ResourcesOnRouteWithoutFixedTarget_AreHidden(string method, string member)
    {
        // resources/read there is refused as target.unknown, so listing them would only name what cannot be read.
        var result = await ListAsync("mcp/github", method, await world.TaskTokenAsync());

        Assert.Empty(result[member]!.AsArray());
    }

    [Fact]
    public async Task PromptForbiddenByPolicy_IsHidden()
    {
        // The world's policies permit getting only the prompt "triage".
        var result = await ListAsync("mcp/docs", "prompts/list", await world.TaskTokenAsync());

        Assert.DoesNotContain("summarise", Keys(result, "prompts", "name"));
    }

    [Fact]
    public async Task ResourceForbiddenByPolicy_IsHidden()
    {
        var result = await ListAsync("mcp/docs", "resources/list", await world.TaskTokenAsync());

        Assert.DoesNotContain("file:///notes.md", Keys(result, "resources", "uri"));
    }

    [Fact]
    public async Task PromptsOnRouteWithArgumentTarget_AreKept()
    {
        // Their target, and so their decision, depends on the arguments of the get, which a list cannot know.
        var result = await ListAsync("mcp/github", "prompts/list", await world.TaskTokenAsync());

        Assert.Equal(["triage", "summarise"], Keys(result, "prompts", "name"));
    }

    [Fact]
    public async Task ListedResource_OnUndeclaredTarget_IsAlsoRefusedWhenRead()
    {
        var token = await world.TaskTokenAsync(intent: OtherRepositoryIntent);

        using var response = await world.PostAsync("mcp/docs", """{"jsonrpc":"2.0","id":2,"method":"resources/read","params":{"uri":"file:///notes.md"}}""", token);

        Assert.Equal("intent.undeclared_target", (await GatewayWorld.JsonAsync(response))["error"]!["data"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task ResourcesListOverServerSentEvents_IsFilteredEventByEvent()
    {
        using var response = await world.PostAsync("mcp/github-sse", """{"jsonrpc":"2.0","id":4,"method":"resources/list"}""", await world.TaskTokenAsync());

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var data = text.Split('\n').Single(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];
        var result = JsonNode.Parse(data)!["result"]!;
        Assert.Empty(result["resources"]!.AsArray());
        Assert.Equal(FakeUpstream.ResourceCursor, result["nextCursor"]!.GetValue<string>());
        Assert.Contains("id: 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListedItemWithoutItsKey_IsDropped()
    {
        var result = await ListAsync("mcp/docs", "resources/list", await world.TaskTokenAsync());

        Assert.DoesNotContain(result["resources"]!.AsArray(), r => r!["title"] is not null);
    }

    [Fact]
    public async Task ResourcesListAnsweredWithGarbage_Returns502()
    {
        using var response = await world.PostAsync("mcp/garbage", """{"jsonrpc":"2.0","id":1,"method":"resources/list"}""", await world.TaskTokenAsync());

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(-32002, (await GatewayWorld.JsonAsync(response))["error"]!["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Listing_RecordsNoDecisionPerItem()
    {
        var token = await world.TaskTokenAsync();
        foreach (var method in new[] { "resources/list", "resources/templates/list", "prompts/list" })
        {
            await ListAsync("mcp/docs", method, token);
        }

        // A call made afterwards is recorded; it must be the only decision the task has.
        using var call = await world.PostAsync("mcp/docs", """{"jsonrpc":"2.0","id":9,"method":"resources/read","params":{"uri":"docs://public/readme"}}""", token);
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        await world.WaitForRecordAsync("tool.call", r => (string?)r["target"] == "docs://public/readme repo:acme/web");
        Assert.Equal(["docs://public/readme repo:acme/web"], (await world.AuditRecordsAsync("decision")).Select(r => (string?)r["target"]));
    }

    private async Task<JsonNode> ListAsync(string path, string method, string token)
    {
        using var response = await world.PostAsync(path, "{\"jsonrpc\":\"2.0\",\"id\":\"l\",\"method\":\"" + method + "\"}", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await GatewayWorld.JsonAsync(response))["result"]!;
    }

    private static string[] Keys(JsonNode result, string member, string key) =>
        [.. result[member]!.AsArray().Select(i => i![key]!.GetValue<string>())];
}
