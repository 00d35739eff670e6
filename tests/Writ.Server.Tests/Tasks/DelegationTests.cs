using Writ.Core.Tasks;
using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests.Tasks;

public sealed class DelegationTests
{
    private static readonly string Narrow = TaskWorld.Intent("""[{"tool":"github.search_issues","targets":["repo:acme/web"]}]""", maxDuration: "PT5M");

    [Fact]
    public async Task NarrowerDelegation_IssuesATaskTokenWithTheNestedChain()
    {
        await using var world = await TaskWorld.StartAsync();
        var parent = await world.TaskTokenAsync("planner");
        var parentClaims = await world.ClaimsAsync(parent);

        var body = await world.OkAsync(world.DelegateAsync(parent, await world.IdentityTokenAsync("coder"), Narrow));

        var token = body["access_token"]!.GetValue<string>();
        var payload = Jwt.DecodePart(token, 1);
        Assert.Equal("spiffe://writ.local/agent/planner", payload.GetProperty("sub").GetString());
        Assert.Equal("spiffe://writ.local/agent/coder", payload.GetProperty("act").GetProperty("sub").GetString());
        Assert.False(payload.GetProperty("act").TryGetProperty("act", out _));
        Assert.Equal(parentClaims.TaskId, payload.GetProperty("writ_parent").GetString());
        var claims = await world.ClaimsAsync(token);
        Assert.Equal("coder", claims.AgentName);
        Assert.Equal(["spiffe://writ.local/agent/planner"], claims.Chain);
        Assert.Equal(1, claims.Depth);
        Assert.Equal(300, body["expires_in"]!.GetValue<int>());

        var task = await world.Host.AdminOkAsync(HttpMethod.Get, "tasks/" + claims.TaskId);
        Assert.Equal(parentClaims.TaskId, task["parentId"]!.GetValue<string>());
        Assert.Equal(parentClaims.TaskId, task["rootId"]!.GetValue<string>());
        Assert.Equal(1, task["depth"]!.GetValue<int>());

        Assert.True((await world.DecideAsync(token, "github.search_issues", "repo:acme/web")).Allowed);
        Assert.Equal("intent.undeclared_target", (await world.DecideAsync(token, "github.search_issues", "repo:acme/api")).Reason);
    }

    [Fact]
    public async Task SecondDelegation_NestsTheNewestActorOutermost()
    {
        await using var world = await TaskWorld.StartAsync();
        var a = await world.TaskTokenAsync("planner");
        var b = (await world.OkAsync(world.DelegateAsync(a, await world.IdentityTokenAsync("coder"), Narrow)))["access_token"]!.GetValue<string>();

        var c = (await world.OkAsync(world.DelegateAsync(b, await world.IdentityTokenAsync("tester"), Narrow)))["access_token"]!.GetValue<string>();

        var act = Jwt.DecodePart(c, 1).GetProperty("act");
        Assert.Equal("spiffe://writ.local/agent/tester", act.GetProperty("sub").GetString());
        Assert.Equal("spiffe://writ.local/agent/coder", act.GetProperty("act").GetProperty("sub").GetString());
        var claims = await world.ClaimsAsync(c);
        Assert.Equal(["spiffe://writ.local/agent/planner", "spiffe://writ.local/agent/coder"], claims.Chain);
    }

    [Theory]
    [InlineData("""[{"tool":"github.create_issue","targets":["repo:acme/web"]}]""", "internal", "PT5M")]
    [InlineData("""[{"tool":"github.search_issues","targets":["repo:acme/secrets"]}]""", "internal", "PT5M")]
    [InlineData("""[{"tool":"github.search_issues","targets":["repo:acme/web"]}]""", "confidential", "PT5M")]
    [InlineData("""[{"tool":"github.search_issues","targets":["repo:acme/web"]}]""", "internal", "PT1H")]
    public async Task WideningDelegation_IsRefusedWithInvalidAuthorizationDetails(string tools, string sensitivity, string duration)
    {
        await using var world = await TaskWorld.StartAsync();
        var parent = await world.TaskTokenAsync("planner");

        var (status, error, _) = await TaskWorld.ErrorAsync(world.DelegateAsync(parent, await world.IdentityTokenAsync("coder"), TaskWorld.Intent(tools, sensitivity, duration)));

        Assert.Equal(400, status);
        Assert.Equal("invalid_authorization_details", error);
        var changes = await world.Host.AdminOkAsync(HttpMethod.Get, "tasks");
        Assert.Single(changes["items"]!.AsArray());
    }

    [Fact]
    public async Task DelegationThatOutlastsTheParent_IsRefused()
    {
        await using var world = await TaskWorld.StartAsync();
        var parent = await world.TaskTokenAsync("planner");
        world.Host.Time.Advance(TimeSpan.FromMinutes(8));

        var (_, error, description) = await TaskWorld.ErrorAsync(world.DelegateAsync(parent, await world.IdentityTokenAsync("coder"), Narrow));

        Assert.Equal("invalid_authorization_details", error);
        Assert.Contains("outlasts the parent", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DelegationBeyondTheMaximumDepth_IsRefused()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync("agent-0");
        for (var depth = 1; depth <= 3; depth++)
        {
            token = (await world.OkAsync(world.DelegateAsync(token, await world.IdentityTokenAsync("agent-" + depth), Narrow)))["access_token"]!.GetValue<string>();
        }

        Assert.Equal(3, (await world.ClaimsAsync(token)).Depth);
        var (status, error, _) = await TaskWorld.ErrorAsync(world.DelegateAsync(token, await world.IdentityTokenAsync("agent-4"), Narrow));

        Assert.Equal(400, status);
        Assert.Equal("access_denied", error);
    }

    [Fact]
    public async Task DelegationThePolicyDoesNotAllow_IsRefusedWithAccessDenied()
    {
        await using var world = await TaskWorld.StartAsync();
        var parent = await world.TaskTokenAsync("planner");

        // delegate-within-owner: bob's agent is outside alice's.
        var (_, error, _) = await TaskWorld.ErrorAsync(world.DelegateAsync(parent, await world.IdentityTokenAsync("outsider", "bob"), Narrow));

        Assert.Equal("access_denied", error);
    }

    [Fact]
    public async Task DelegationFromAnEndedTask_IsRefused()
    {
        await using var world = await TaskWorld.StartAsync();
        var parent = await world.TaskTokenAsync("planner");
        using (await world.CompleteAsync(parent))
        {
        }

        Assert.Equal("invalid_request", (await TaskWorld.ErrorAsync(world.DelegateAsync(parent, await world.IdentityTokenAsync("coder"), Narrow))).Error);
    }

    [Fact]
    public async Task DelegationWithoutAnActorToken_IsRefusedAsInvalidRequest()
    {
        await using var world = await TaskWorld.StartAsync();
        var parent = await world.TaskTokenAsync("planner");

        Assert.Equal("invalid_request", (await TaskWorld.ErrorAsync(world.DelegateAsync(parent, string.Empty, Narrow))).Error);
    }

    [Fact]
    public async Task EndingAParent_EndsEveryDescendant()
    {
        await using var world = await TaskWorld.StartAsync();
        var root = await world.TaskTokenAsync("planner");
        var child = (await world.OkAsync(world.DelegateAsync(root, await world.IdentityTokenAsync("coder"), Narrow)))["access_token"]!.GetValue<string>();
        var grandchild = (await world.OkAsync(world.DelegateAsync(child, await world.IdentityTokenAsync("tester"), Narrow)))["access_token"]!.GetValue<string>();
        Assert.True((await world.DecideAsync(grandchild, "github.search_issues", "repo:acme/web")).Allowed);

        await world.Host.AdminOkAsync(HttpMethod.Post, $"tasks/{(await world.ClaimsAsync(root)).TaskId}/cancel");

        Assert.Equal("task.cancelled", (await world.DecideAsync(child, "github.search_issues", "repo:acme/web")).Reason);
        Assert.Equal("task.cancelled", (await world.DecideAsync(grandchild, "github.search_issues", "repo:acme/web")).Reason);
        var grandchildTask = await world.Host.AdminOkAsync(HttpMethod.Get, "tasks/" + (await world.ClaimsAsync(grandchild)).TaskId);
        Assert.Equal(TaskLifecycle.CascadeActor, grandchildTask["endedBy"]!.GetValue<string>());
    }
}
