using Writ.Sdk.Tests.Infrastructure;

namespace Writ.Sdk.Tests;

/// <summary>Tasks started with the SDK end in Writ the way the agent's code ended: disposal completes, failure ends, revocation throws.</summary>
public sealed class TaskLifecycleTests
{
    [Fact]
    public async Task DisposingTask_CompletesItOnTheServer()
    {
        await using var world = await SdkWorld.StartAsync();
        await using var writ = world.Client(await world.RegisterKeyedAgentAsync("research"));
        string id;
        await using (var task = await writ.StartTaskAsync(SdkWorld.Intent(), SdkWorld.Gateway, cancellationToken: TestContext.Current.CancellationToken))
        {
            id = task.Id;
            Assert.True(task.IsKeyBound);
            Assert.Equal("active", (await world.TaskAsync(id))["state"]!.GetValue<string>());
        }

        var record = await world.TaskAsync(id);
        Assert.Equal("completed", record["state"]!.GetValue<string>());
        Assert.Equal("research", record["agent"]!.GetValue<string>());
    }

    [Fact]
    public async Task FailedTask_EndsOnTheServer_AndReportsFailed()
    {
        await using var world = await SdkWorld.StartAsync();
        await using var writ = world.Client(await world.RegisterKeyedAgentAsync("research"));
        var task = await writ.StartTaskAsync(SdkWorld.Intent(), SdkWorld.Gateway, cancellationToken: TestContext.Current.CancellationToken);
        await using (task)
        {
            try
            {
                throw new InvalidOperationException("the model went off the rails");
            }
            catch (InvalidOperationException ex)
            {
                await task.FailAsync(ex, TestContext.Current.CancellationToken);
            }
        }

        Assert.Equal(AgentTaskState.Failed, task.State);
        Assert.IsType<InvalidOperationException>(task.FailureReason);
        Assert.NotEqual("active", (await world.TaskAsync(task.Id))["state"]!.GetValue<string>());
        using var http = task.CreateHttpClient();
        await Assert.ThrowsAsync<TaskRevokedException>(() => http.GetAsync(world.Url, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task CancelledTask_SurfacesAsTaskRevokedException()
    {
        await using var world = await SdkWorld.StartAsync();
        await using var writ = world.Client(await world.RegisterKeyedAgentAsync("research"));
        await using var task = await writ.StartTaskAsync(SdkWorld.Intent(), SdkWorld.Gateway, cancellationToken: TestContext.Current.CancellationToken);

        await world.AdminOkAsync(HttpMethod.Post, "tasks/" + task.Id + "/cancel");

        var error = await Assert.ThrowsAsync<TaskRevokedException>(() => task.CompleteAsync(TestContext.Current.CancellationToken));
        Assert.Equal(task.Id, error.TaskId);
        Assert.Equal(AgentTaskState.Revoked, task.State);
        Assert.Equal("cancelled", (await world.TaskAsync(task.Id))["state"]!.GetValue<string>());

        // Once known, the task refuses further use before anything is sent.
        using var http = new HttpClient(task.CreateHandler());
        await Assert.ThrowsAsync<TaskRevokedException>(() => http.GetAsync(world.Url, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task RevokedTask_SurfacesAsTaskRevokedException()
    {
        await using var world = await SdkWorld.StartAsync();
        await using var writ = world.Client(await world.RegisterKeyedAgentAsync("research"));
        await using var task = await writ.StartTaskAsync(SdkWorld.Intent(), SdkWorld.Gateway, cancellationToken: TestContext.Current.CancellationToken);

        await world.AdminOkAsync(HttpMethod.Post, "revocations", new { kind = "task", id = task.Id, cause = "incident 42" });

        var error = await Assert.ThrowsAsync<TaskRevokedException>(() => task.CompleteAsync(TestContext.Current.CancellationToken));
        Assert.Equal(task.Id, error.TaskId);
        Assert.Equal(AgentTaskState.Revoked, task.State);
        Assert.Equal("revoked", (await world.TaskAsync(task.Id))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task TokenRefusedWithInvalidToken_EndsTheTask()
    {
        await using var world = await SdkWorld.StartAsync();

        // The agent's clock lags Writ's: only the server knows the token has expired, and says so with 401 invalid_token.
        await using var writ = world.Client(await world.RegisterKeyedAgentAsync("research"), time: TimeProvider.System);
        // Not following the revocation stream: the expiry sweep's announcement would end the task before the call.
        await using var task = await writ.StartTaskAsync(SdkWorld.Intent(duration: TimeSpan.FromMinutes(1)), SdkWorld.Gateway, new StartTaskOptions { FollowRevocations = false }, TestContext.Current.CancellationToken);
        world.Time.Advance(TimeSpan.FromMinutes(2));

        // Writ's completion endpoint is a real resource that checks the task token and its DPoP proof like a gateway does.
        using var http = task.CreateHttpClient();
        var error = await Assert.ThrowsAsync<TaskRevokedException>(() => http.PostAsync(new Uri(world.Url, "tasks/v1/complete"), null, TestContext.Current.CancellationToken));
        Assert.Equal(task.Id, error.TaskId);
        Assert.Equal(401, error.StatusCode);
        Assert.Equal(AgentTaskState.Revoked, task.State);
    }

    [Fact]
    public async Task ExpiredTask_RefusesUse()
    {
        await using var world = await SdkWorld.StartAsync();
        await using var writ = world.Client(await world.RegisterKeyedAgentAsync("research"));
        // Not following the revocation stream: the expiry sweep's announcement would end the task before the call.
        await using var task = await writ.StartTaskAsync(SdkWorld.Intent(duration: TimeSpan.FromMinutes(1)), SdkWorld.Gateway, new StartTaskOptions { FollowRevocations = false }, TestContext.Current.CancellationToken);
        world.Time.Advance(TimeSpan.FromMinutes(2));

        using var http = task.CreateHttpClient();
        var error = await Assert.ThrowsAsync<TaskRevokedException>(() => http.GetAsync(world.Url, TestContext.Current.CancellationToken));
        Assert.Contains("expired", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IntentOutsidePolicy_IsRefusedWithWritsReason()
    {
        await using var world = await SdkWorld.StartAsync();
        await using var writ = world.Client(await world.RegisterKeyedAgentAsync("research"));
        var intent = new TaskIntent("drop tables", [ToolGrant.Of("db.exec", "db:payroll")], TaskSensitivity.Restricted, TimeSpan.FromMinutes(5));

        var error = await Assert.ThrowsAsync<WritException>(() => writ.StartTaskAsync(intent, SdkWorld.Gateway, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal("invalid_authorization_details", error.Error);
    }
}
