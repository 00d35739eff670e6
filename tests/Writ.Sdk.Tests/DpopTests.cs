using System.Net;
using System.Net.Http.Headers;
using Writ.Sdk.Tests.Infrastructure;

namespace Writ.Sdk.Tests;

/// <summary>The task handler's DPoP proofs are accepted by a real resource; a replayed or missing proof is refused.</summary>
public sealed class DpopTests
{
    [Fact]
    public async Task DpopBoundCall_IsAccepted()
    {
        await using var world = await SdkWorld.StartAsync();
        await using var writ = world.Client(await world.RegisterKeyedAgentAsync("research"));
        await using var task = await writ.StartTaskAsync(SdkWorld.Intent(), SdkWorld.Gateway, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(task.Key!.Thumbprint, Jws.ReadPayload(task.Token)!.Value.GetProperty("cnf").GetProperty("jkt").GetString());

        using var http = task.CreateHttpClient();
        using var response = await http.PostAsync(new Uri(world.Url, "tasks/v1/complete"), null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("completed", (await world.TaskAsync(task.Id))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReplayedDpopProof_IsRefused()
    {
        await using var world = await SdkWorld.StartAsync();
        await using var writ = world.Client(await world.RegisterKeyedAgentAsync("research"));
        await using var task = await writ.StartTaskAsync(SdkWorld.Intent(), SdkWorld.Gateway, cancellationToken: TestContext.Current.CancellationToken);
        var complete = new Uri(world.Url, "tasks/v1/complete");
        var proof = task.Key!.CreateProof("POST", complete, task.Token);
        using var raw = new HttpClient();

        using (var first = Request(complete, "DPoP", task.Token, proof))
        {
            using var accepted = await raw.SendAsync(first, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        using var replay = Request(complete, "DPoP", task.Token, proof);
        using var refused = await raw.SendAsync(replay, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task BoundTokenWithoutProof_IsRefused()
    {
        await using var world = await SdkWorld.StartAsync();
        await using var writ = world.Client(await world.RegisterKeyedAgentAsync("research"));
        await using var task = await writ.StartTaskAsync(SdkWorld.Intent(), SdkWorld.Gateway, cancellationToken: TestContext.Current.CancellationToken);
        using var raw = new HttpClient();

        // A stolen bound token replayed as a plain bearer token, without the key, does not work.
        using var stolen = Request(new Uri(world.Url, "tasks/v1/complete"), "Bearer", task.Token, null);
        using var refused = await raw.SendAsync(stolen, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("active", (await world.TaskAsync(task.Id))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnboundTask_SendsBearer_AndCompletes()
    {
        await using var world = await SdkWorld.StartAsync();
        await using var writ = world.Client(await world.RegisterKeyedAgentAsync("research"));
        string id;
        await using (var task = await writ.StartTaskAsync(SdkWorld.Intent(), SdkWorld.Gateway, new StartTaskOptions { BindToKey = false }, TestContext.Current.CancellationToken))
        {
            id = task.Id;
            Assert.False(task.IsKeyBound);
            Assert.False(Jws.ReadPayload(task.Token)!.Value.TryGetProperty("cnf", out _));
        }

        Assert.Equal("completed", (await world.TaskAsync(id))["state"]!.GetValue<string>());
    }

    private static HttpRequestMessage Request(Uri uri, string scheme, string token, string? proof)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue(scheme, token);
        if (proof is not null)
        {
            request.Headers.Add("DPoP", proof);
        }

        return request;
    }
}
