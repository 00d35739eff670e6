using Writ.Core.Tasks;

namespace Writ.Server.Tests.Tasks;

public sealed class CallDecisionScenarioTests
{
    [Fact]
    public async Task DeclaredToolOnDeclaredTarget_IsAllowedByPolicy()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync();

        var decision = await world.DecideAsync(token, "github.search_issues", "repo:acme/web");

        Assert.True(decision.Allowed);
        Assert.Equal(CallReasons.Permit, decision.Reason);
        Assert.Equal(["github-tools"], decision.Policies);
    }

    [Fact]
    public async Task UndeclaredTool_IsDenied_WithTheIntentRuleAsReason()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync();

        // github-tools would permit it: the intent rule decides first.
        var decision = await world.DecideAsync(token, "github.delete_repo", "repo:acme/web");

        Assert.False(decision.Allowed);
        Assert.Equal("intent.undeclared_tool", decision.Reason);
        Assert.Empty(decision.Policies);
    }

    [Fact]
    public async Task DeclaredToolOnUndeclaredTarget_IsDenied()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync();

        var decision = await world.DecideAsync(token, "github.search_issues", "repo:acme/secrets");

        Assert.False(decision.Allowed);
        Assert.Equal("intent.undeclared_target", decision.Reason);
    }

    [Fact]
    public async Task ForbidOnHighSensitivity_WinsOverPermit()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync(details: TaskWorld.Intent(sensitivity: "restricted"));

        var decision = await world.DecideAsync(token, "github.search_issues", "repo:acme/web");

        Assert.False(decision.Allowed);
        Assert.Equal(CallReasons.Forbid, decision.Reason);
        Assert.Equal(["no-restricted-data"], decision.Policies);
    }

    [Fact]
    public async Task CallAboveTheTasksSensitivity_IsDenied()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync();

        var decision = await world.DecideAsync(token, "github.search_issues", "repo:acme/web", Sensitivity.Confidential);

        Assert.Equal("intent.sensitivity_exceeded", decision.Reason);
    }

    [Fact]
    public async Task NoPolicyPermits_IsDeniedByDefault()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync(details: TaskWorld.Intent("""[{"tool":"slack.post","targets":["channel:ops"]}]"""));

        var decision = await world.DecideAsync(token, "slack.post", "channel:ops");

        Assert.False(decision.Allowed);
        Assert.Equal(CallReasons.NoPermit, decision.Reason);
    }

    [Fact]
    public async Task ArgumentsReachPolicies_AsToolCallTags()
    {
        await using var world = await TaskWorld.StartAsync(TaskWorld.Policies + """

            @id("no-drop")
            forbid (principal, action == Writ::Action::"CallTool", resource == Writ::Tool::"db.query")
            when { context.call.hasTag("sql") && context.call.getTag("sql") like "*DROP*" };
            """);
        var token = await world.TaskTokenAsync();

        Assert.True((await world.DecideAsync(token, "db.query", "db:orders", arguments: """{"sql":"SELECT 1","limit":10}""")).Allowed);
        var dropped = await world.DecideAsync(token, "db.query", "db:orders", arguments: """{"sql":"DROP TABLE orders"}""");
        Assert.False(dropped.Allowed);
        Assert.Equal(["no-drop"], dropped.Policies);
        Assert.Equal(CallReasons.InvalidArguments, (await world.DecideAsync(token, "db.query", "db:orders", arguments: "[1,2]")).Reason);
    }

    [Fact]
    public async Task SuspendedAgentsRunningTask_IsDeniedOnItsNextCall()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync();
        Assert.True((await world.DecideAsync(token, "github.search_issues", "repo:acme/web")).Allowed);

        await world.Host.AdminOkAsync(HttpMethod.Post, "agents/research/suspend");

        var decision = await world.DecideAsync(token, "github.search_issues", "repo:acme/web");
        Assert.False(decision.Allowed);
        Assert.Equal("agent.suspended", decision.Reason);

        await world.Host.AdminOkAsync(HttpMethod.Post, "agents/research/resume");
        Assert.True((await world.DecideAsync(token, "github.search_issues", "repo:acme/web")).Allowed);
    }

    [Fact]
    public async Task ExpiredTask_IsDenied()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync();
        var claims = await world.ClaimsAsync(token);

        world.Host.Time.Advance(TimeSpan.FromMinutes(10));

        var decision = await world.Decider.DecideAsync(claims, new CallRequest("github.search_issues", "repo:acme/web"), TestContext.Current.CancellationToken);
        Assert.False(decision.Allowed);
        Assert.Equal(CallReasons.TaskExpired, decision.Reason);
        var listed = await world.Host.AdminOkAsync(HttpMethod.Get, "tasks/" + claims.TaskId);
        Assert.Equal("expired", listed["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task CompletedOrCancelledTask_IsDenied()
    {
        await using var world = await TaskWorld.StartAsync();
        var completed = await world.TaskTokenAsync();
        var cancelled = await world.TaskTokenAsync();
        Assert.True((await world.DecideAsync(completed, "github.search_issues", "repo:acme/web")).Allowed);

        using (var response = await world.CompleteAsync(completed))
        {
            Assert.True(response.IsSuccessStatusCode);
        }

        await world.Host.AdminOkAsync(HttpMethod.Post, $"tasks/{(await world.ClaimsAsync(cancelled)).TaskId}/cancel");

        Assert.Equal("task.completed", (await world.DecideAsync(completed, "github.search_issues", "repo:acme/web")).Reason);
        Assert.Equal("task.cancelled", (await world.DecideAsync(cancelled, "github.search_issues", "repo:acme/web")).Reason);
    }

    [Fact]
    public async Task PolicyActivation_ChangesTheNextDecision()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync();
        Assert.True((await world.DecideAsync(token, "db.query", "db:orders")).Allowed);

        await world.ApplyPoliciesAsync(TaskWorld.Policies.Replace("""resource in Writ::Toolset::"db")""", """resource in Writ::Toolset::"none")""", StringComparison.Ordinal));

        Assert.Equal(CallReasons.NoPermit, (await world.DecideAsync(token, "db.query", "db:orders")).Reason);
    }
}
