using Writ.Sdk.Tests.Infrastructure;

namespace Writ.Sdk.Tests;

/// <summary>Delegation through the SDK only narrows, and the delegate's task shows the chain.</summary>
public sealed class DelegationTests
{
    [Fact]
    public async Task Delegation_NarrowsAndShowsTheChain()
    {
        await using var world = await SdkWorld.StartAsync();
        await using var research = world.Client(await world.RegisterKeyedAgentAsync("research"));
        await using var helper = world.Client(await world.RegisterKeyedAgentAsync("helper"));
        await using var task = await research.StartTaskAsync(SdkWorld.Intent(), SdkWorld.Gateway, cancellationToken: TestContext.Current.CancellationToken);

        await using var sub = await task.DelegateAsync(helper, SdkWorld.Intent("summarize web issues", TimeSpan.FromMinutes(5), "repo:acme/web"), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(task.Id, sub.ParentTaskId);
        Assert.Equal(world.SpiffeId("research"), sub.Subject);
        Assert.Equal(world.SpiffeId("helper"), sub.DelegationChain[0]);
        var record = await world.TaskAsync(sub.Id);
        Assert.Equal("helper", record["agent"]!.GetValue<string>());
        Assert.Equal(task.Id, record["parentId"]!.GetValue<string>());
        Assert.Contains(world.SpiffeId("research"), record["chain"]!.AsArray().Select(n => n!.GetValue<string>()));
        var targets = record["intent"]!["tools"]![0]!["targets"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
        Assert.Equal(["repo:acme/web"], targets);
    }

    [Fact]
    public async Task WideningDelegation_IsRefused()
    {
        await using var world = await SdkWorld.StartAsync();
        await using var research = world.Client(await world.RegisterKeyedAgentAsync("research"));
        await using var helper = world.Client(await world.RegisterKeyedAgentAsync("helper"));
        await using var task = await research.StartTaskAsync(SdkWorld.Intent(), SdkWorld.Gateway, cancellationToken: TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<WritException>(() => task.DelegateAsync(helper, SdkWorld.Intent("widen", TimeSpan.FromMinutes(5), "repo:acme/secret"), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal("invalid_authorization_details", error.Error);
    }

    [Fact]
    public async Task DelegatedTask_IsCompletedByItsOwnDisposal()
    {
        await using var world = await SdkWorld.StartAsync();
        await using var research = world.Client(await world.RegisterKeyedAgentAsync("research"));
        await using var helper = world.Client(await world.RegisterKeyedAgentAsync("helper"));
        await using var task = await research.StartTaskAsync(SdkWorld.Intent(), SdkWorld.Gateway, cancellationToken: TestContext.Current.CancellationToken);
        string subId;
        await using (var sub = await task.DelegateAsync(helper, SdkWorld.Intent("narrow", TimeSpan.FromMinutes(5), "repo:acme/api"), cancellationToken: TestContext.Current.CancellationToken))
        {
            subId = sub.Id;
        }

        Assert.Equal("completed", (await world.TaskAsync(subId))["state"]!.GetValue<string>());
        Assert.Equal("active", (await world.TaskAsync(task.Id))["state"]!.GetValue<string>());
    }
}
