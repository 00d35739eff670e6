using Writ.Sdk.Tests.Infrastructure;

namespace Writ.Sdk.Tests;

/// <summary>
/// A running task follows Writ's revocation stream with its own token: a revocation ends it in the agent before its
/// next call, as a <see cref="TaskRevokedException"/>. The agent also cancels its own task and renews its leases.
/// </summary>
public sealed class RevocationFollowingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Waits for the watcher, bounded so a broken stream fails the test instead of hanging it.
    private static async Task WaitUntilEndedAsync(AgentTask task)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        bound.CancelAfter(TimeSpan.FromSeconds(30));
        while (task.State == AgentTaskState.Active)
        {
            await Task.Delay(20, bound.Token);
        }
    }

    [Fact]
    public async Task RevokedTask_IsEndedFromTheStream_AndTheNextCallThrowsBeforeAnythingIsSent()
    {
        await using var world = await SdkWorld.StartAsync();
        await using var writ = world.Client(await world.RegisterKeyedAgentAsync("research"));
        await using var task = await writ.StartTaskAsync(SdkWorld.Intent(), SdkWorld.Gateway, cancellationToken: Ct);

        await world.AdminOkAsync(HttpMethod.Post, "revocations", new { kind = "task", id = task.Id, cause = "incident 42" });
        await WaitUntilEndedAsync(task);

        Assert.Equal(AgentTaskState.Revoked, task.State);
        var counting = new CountingHandler();
        using var http = task.CreateHttpClient(counting);
        var error = await Assert.ThrowsAsync<TaskRevokedException>(() => http.PostAsync(new Uri(world.Url, "oauth2/token"), null, Ct));
        Assert.Equal(task.Id, error.TaskId);
        Assert.Contains("incident 42", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, counting.TokenRequests);
    }

    [Fact]
    public async Task RevokedAgent_EndsItsBearerTask_FromTheStream()
    {
        await using var world = await SdkWorld.StartAsync();
        await using var writ = world.Client(await world.RegisterKeyedAgentAsync("research"));
        await using var task = await writ.StartTaskAsync(SdkWorld.Intent(), SdkWorld.Gateway, new StartTaskOptions { BindToKey = false }, Ct);

        await world.AdminOkAsync(HttpMethod.Post, "revocations", new { kind = "agent", id = "research" });
        await WaitUntilEndedAsync(task);

        Assert.Equal(AgentTaskState.Revoked, task.State);
    }

    [Fact]
    public async Task AnotherTasksRevocation_LeavesThisTaskRunning()
    {
        await using var world = await SdkWorld.StartAsync();
        await using var writ = world.Client(await world.RegisterKeyedAgentAsync("research"));
        await using var kept = await writ.StartTaskAsync(SdkWorld.Intent(), SdkWorld.Gateway, cancellationToken: Ct);
        await using var revoked = await writ.StartTaskAsync(SdkWorld.Intent(), SdkWorld.Gateway, cancellationToken: Ct);

        await world.AdminOkAsync(HttpMethod.Post, "revocations", new { kind = "task", id = revoked.Id });
        await WaitUntilEndedAsync(revoked);

        Assert.Equal(AgentTaskState.Active, kept.State);
        await kept.CompleteAsync(Ct);
        Assert.Equal("completed", (await world.TaskAsync(kept.Id))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task FailedTask_IsCancelledOnTheServer_ByItsAgent()
    {
        await using var world = await SdkWorld.StartAsync();
        await using var writ = world.Client(await world.RegisterKeyedAgentAsync("research"));
        await using var task = await writ.StartTaskAsync(SdkWorld.Intent(), SdkWorld.Gateway, cancellationToken: Ct);

        await task.FailAsync(new InvalidOperationException("tool crashed"), Ct);

        Assert.Equal(AgentTaskState.Failed, task.State);
        Assert.Equal("cancelled", (await world.TaskAsync(task.Id))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task RenewingALeaseTheTaskDoesNotHave_IsRefusedWithWritsCode()
    {
        await using var world = await SdkWorld.StartAsync();
        await using var writ = world.Client(await world.RegisterKeyedAgentAsync("research"));
        await using var task = await writ.StartTaskAsync(SdkWorld.Intent(), SdkWorld.Gateway, cancellationToken: Ct);

        var error = await Assert.ThrowsAsync<WritException>(() => task.RenewLeaseAsync("lse_not_mine", TimeSpan.FromMinutes(5), Ct));

        Assert.Equal("lease_not_found", error.Error);
        Assert.Equal(404, error.StatusCode);
        Assert.Equal(AgentTaskState.Active, task.State);
    }
}
