using System.Net;
using System.Text.Json;
using Writ.Gateway.Tests.Infrastructure;

namespace Writ.Gateway.Tests.Mcp;

/// <summary>
/// Subscriptions and completions name a resource or a prompt, so they are decided as reading that resource or
/// getting that prompt: an agent cannot learn about what its task may not use. The world's policies permit only
/// the resource <c>docs://public/readme</c> and the prompt <c>triage</c>.
/// </summary>
public sealed class GatewayProbeTests : IAsyncLifetime
{
    private GatewayWorld world = null!;

    public async ValueTask InitializeAsync() => world = await GatewayWorld.StartAsync();

    public ValueTask DisposeAsync() => world.DisposeAsync();

    [Theory]
    [InlineData("resources/subscribe")]
    [InlineData("resources/unsubscribe")]
    public async Task SubscriptionToAResourceNoPolicyPermits_IsRefused_AndNotForwarded(string method)
    {
        var token = await world.TaskTokenAsync();

        using var response = await world.PostAsync("mcp/docs", Request(method, new { uri = "docs://secret/keys" }), token);

        Assert.Equal("policy.no_permit", await ReasonAsync(response));
        Assert.Empty(world.Upstream.Seen);
    }

    [Theory]
    [InlineData("resources/subscribe")]
    [InlineData("resources/unsubscribe")]
    public async Task SubscriptionToAPermittedResource_IsForwarded(string method)
    {
        var token = await world.TaskTokenAsync();

        using var response = await world.PostAsync("mcp/docs", Request(method, new { uri = "docs://public/readme" }), token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull((await GatewayWorld.JsonAsync(response))["result"]);
        Assert.Single(world.Upstream.Seen);
    }

    [Fact]
    public async Task SubscriptionOnARouteWithoutAFixedTarget_IsRefusedAsTargetUnknown_LikeARead()
    {
        var token = await world.TaskTokenAsync();

        using var response = await world.PostAsync("mcp/github", Request("resources/subscribe", new { uri = "docs://public/readme" }), token);

        Assert.Equal("target.unknown", await ReasonAsync(response));
        Assert.Empty(world.Upstream.Seen);
    }

    [Fact]
    public async Task CompletionOfAPromptNoPolicyPermits_IsRefused_AndNotForwarded()
    {
        var token = await world.TaskTokenAsync();

        using var response = await world.PostAsync("mcp/docs", Request("completion/complete", new { @ref = new { type = "ref/prompt", name = "secret_prompt" }, argument = new { name = "topic", value = "a" } }), token);

        Assert.Equal("policy.no_permit", await ReasonAsync(response));
        Assert.Empty(world.Upstream.Seen);
    }

    [Fact]
    public async Task CompletionOfAPermittedPrompt_IsForwarded()
    {
        var token = await world.TaskTokenAsync();

        using var response = await world.PostAsync("mcp/docs", Request("completion/complete", new { @ref = new { type = "ref/prompt", name = "triage" }, argument = new { name = "topic", value = "a" } }), token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull((await GatewayWorld.JsonAsync(response))["result"]);
        Assert.Single(world.Upstream.Seen);
    }

    [Fact]
    public async Task CompletionOfAResourceTemplateNoPolicyPermits_IsRefused_AndNotForwarded()
    {
        var token = await world.TaskTokenAsync();

        using var response = await world.PostAsync("mcp/docs", Request("completion/complete", new { @ref = new { type = "ref/resource", uri = "docs://secret/{name}" }, argument = new { name = "name", value = "k" } }), token);

        Assert.Equal("policy.no_permit", await ReasonAsync(response));
        Assert.Empty(world.Upstream.Seen);
    }

    [Fact]
    public async Task CompletionOfAPromptForAnUndeclaredTarget_IsRefused()
    {
        var token = await world.TaskTokenAsync();

        // The route finds the target in the prompt's repository argument, here one already chosen in the context.
        using var response = await world.PostAsync("mcp/github", Request("completion/complete", new { @ref = new { type = "ref/prompt", name = "triage" }, argument = new { name = "topic", value = "a" }, context = new { arguments = new { repository = "acme/other" } } }), token);

        Assert.Equal("intent.undeclared_target", await ReasonAsync(response));
        Assert.Empty(world.Upstream.Seen);
    }

    [Theory]
    [InlineData("resources/subscribe", """{}""")]
    [InlineData("resources/subscribe", """{"uri":7}""")]
    [InlineData("resources/unsubscribe", """{"uri":""}""")]
    [InlineData("completion/complete", """{"argument":{"name":"a","value":"b"}}""")]
    [InlineData("completion/complete", """{"ref":{"type":"ref/tool","name":"x"},"argument":{"name":"a","value":"b"}}""")]
    [InlineData("completion/complete", """{"ref":{"type":"ref/prompt"},"argument":{"name":"a","value":"b"}}""")]
    [InlineData("completion/complete", """{"ref":{"type":"ref/resource","uri":5},"argument":{"name":"a","value":"b"}}""")]
    [InlineData("completion/complete", """{"ref":{"type":"ref/prompt","name":"triage"}}""")]
    [InlineData("completion/complete", """{"ref":{"type":"ref/prompt","name":"triage"},"argument":{"name":"a","value":1}}""")]
    [InlineData("completion/complete", """{"ref":{"type":"ref/prompt","name":"triage"},"argument":{"name":"a","value":"b"},"context":{"arguments":[1]}}""")]
    public async Task MalformedParams_Return400WithInvalidRequest_AndAreNotForwarded(string method, string parameters)
    {
        var token = await world.TaskTokenAsync();

        using var response = await world.PostAsync("mcp/docs", "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"" + method + "\",\"params\":" + parameters + "}", token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await GatewayWorld.JsonAsync(response);
        Assert.Equal(-32600, error["error"]!["code"]!.GetValue<int>());
        Assert.Equal(9, error["id"]!.GetValue<int>());
        Assert.Empty(world.Upstream.Seen);
    }

    private static string Request(string method, object parameters) =>
        JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 1, method, @params = parameters });

    private static async Task<string?> ReasonAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (string?)(await GatewayWorld.JsonAsync(response))["error"]?["data"]?["reason"];
    }
}
