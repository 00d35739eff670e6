using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Writ.Core.Identity;
using Writ.Core.Leases;
using Writ.Server.Tests.Infrastructure;
using Writ.Server.Tests.Tasks;

namespace Writ.Server.Tests.Revocation;

public sealed class TaskRevocationTests
{
    private static readonly string Narrow = TaskWorld.Intent("""[{"tool":"github.search_issues","targets":["repo:acme/web"]}]""", maxDuration: "PT5M");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RevokedRootTask_EndsTheWholeDelegationChain_EachAnnouncedAuditedDeniedAndInactive()
    {
        await using var world = await TaskWorld.StartAsync();
        var tokens = await ChainAsync(world, "planner", "coder", "tester", "reviewer");
        var ids = new List<string>();
        foreach (var token in tokens)
        {
            ids.Add((await world.ClaimsAsync(token)).TaskId);
            Assert.True((await world.DecideAsync(token, "github.search_issues", "repo:acme/web")).Allowed);
            Assert.True(await IsActiveAsync(world, token));
        }

        var report = await world.Host.AdminOkAsync(HttpMethod.Post, "revocations", new { kind = "task", id = ids[0], cause = "runaway" });

        var ended = report["ended"]!.AsArray().Select(e => e!.AsObject()).ToList();
        var endedTasks = ended.Where(e => e["kind"]!.GetValue<string>() == "task").Select(e => e["subject"]!.GetValue<string>()).ToList();
        Assert.Equal(ids[0], endedTasks[0]);
        Assert.Equal(ids.Order(StringComparer.Ordinal), endedTasks.Order(StringComparer.Ordinal));
        foreach (var (token, id) in tokens.Zip(ids))
        {
            var task = await world.Host.AdminOkAsync(HttpMethod.Get, "tasks/" + id);
            Assert.Equal("revoked", task["state"]!.GetValue<string>());
            Assert.False((await world.DecideAsync(token, "github.search_issues", "repo:acme/web")).Allowed);
            Assert.False(await IsActiveAsync(world, token));
        }

        var log = await world.Host.AdminOkAsync(HttpMethod.Get, "revocations");
        var logged = log["events"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "task").Select(e => e!["subject"]!.GetValue<string>()).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), logged.Order(StringComparer.Ordinal));

        var audit = await world.Host.AdminOkAsync(HttpMethod.Get, "audit/records?type=revoked&limit=100");
        var audited = audit["items"]!.AsArray().Select(r => r!["taskId"]?.GetValue<string>()).OfType<string>().ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), audited.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RevokedRootTask_EndsTheLeasesOfEveryDescendant()
    {
        await using var world = await TaskWorld.StartAsync();
        var tokens = await ChainAsync(world, "planner", "coder", "tester");
        var root = await world.ClaimsAsync(tokens[0]);
        var leaf = await world.ClaimsAsync(tokens[2]);
        var now = world.Host.Time.GetUtcNow();
        var lease = Lease.Issue("lease-leaf-1", LeaseKind.AccessToken, leaf.TaskId, leaf.AgentName, leaf.Owner, null, null, now, now.AddMinutes(5), now.AddMinutes(5));
        Assert.True((await world.Host.Store.Leases.AddAsync(lease, Ct)).Succeeded);

        var report = await world.Host.AdminOkAsync(HttpMethod.Post, "revocations", new { kind = "task", id = root.TaskId });

        Assert.Contains(report["ended"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "lease" && e["subject"]!.GetValue<string>() == lease.Id);
        Assert.Equal(LeaseState.Revoked, (await world.Host.Store.Leases.GetAsync(lease.Id, Ct))!.State);
    }

    [Fact]
    public async Task RevokedMiddleTask_EndsItsDescendants_ButNotItsAncestor()
    {
        await using var world = await TaskWorld.StartAsync();
        var tokens = await ChainAsync(world, "planner", "coder", "tester");
        var ids = new List<string>();
        foreach (var token in tokens)
        {
            ids.Add((await world.ClaimsAsync(token)).TaskId);
        }

        var report = await world.Host.AdminOkAsync(HttpMethod.Post, "revocations", new { kind = "task", id = ids[1] });

        var endedTasks = report["ended"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "task").Select(e => e!["subject"]!.GetValue<string>()).ToList();
        Assert.Equal(ids[1], endedTasks[0]);
        Assert.Equal(ids[1..].Order(StringComparer.Ordinal), endedTasks.Order(StringComparer.Ordinal));
        Assert.True((await world.DecideAsync(tokens[0], "github.search_issues", "repo:acme/web")).Allowed);
        Assert.True(await IsActiveAsync(world, tokens[0]));
        Assert.False(await IsActiveAsync(world, tokens[2]));
    }

    [Fact]
    public async Task RevokedAgent_EndsItsRunningTasks_AndTheNextCallIsDenied()
    {
        await using var world = await TaskWorld.StartAsync();
        var first = await world.TaskTokenAsync("research");
        var second = await world.TaskTokenAsync("research");
        var other = await world.TaskTokenAsync("planner");
        Assert.True((await world.DecideAsync(first, "github.search_issues", "repo:acme/web")).Allowed);

        var report = await world.Host.AdminOkAsync(HttpMethod.Post, "revocations", new { kind = "agent", id = "research" });

        var subjects = report["ended"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>() + ":" + e["subject"]!.GetValue<string>()).ToList();
        Assert.Equal("agent:spiffe://writ.local/agent/research", subjects[0]);
        Assert.Contains("task:" + (await world.ClaimsAsync(first)).TaskId, subjects);
        Assert.Contains("task:" + (await world.ClaimsAsync(second)).TaskId, subjects);
        Assert.False((await world.DecideAsync(first, "github.search_issues", "repo:acme/web")).Allowed);
        Assert.False(await IsActiveAsync(world, first));
        Assert.False(await IsActiveAsync(world, second));
        var task = await world.Host.AdminOkAsync(HttpMethod.Get, "tasks/" + (await world.ClaimsAsync(first)).TaskId);
        Assert.Equal("revoked", task["state"]!.GetValue<string>());
        Assert.True((await world.DecideAsync(other, "github.search_issues", "repo:acme/web")).Allowed);
        Assert.True(await IsActiveAsync(world, other));
    }

    [Fact]
    public async Task RevokedOwner_EndsTheTasksOfEveryAgent()
    {
        await using var world = await TaskWorld.StartAsync();
        var first = await world.TaskTokenAsync("research");
        var second = await world.TaskTokenAsync("planner");
        var bobs = await world.TaskTokenAsync("outsider", owner: "bob");

        var report = await world.Host.AdminOkAsync(HttpMethod.Post, "revocations", new { kind = "owner", id = "alice" });

        var tasks = report["ended"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "task").Select(e => e!["subject"]!.GetValue<string>()).ToList();
        Assert.Equal(new[] { (await world.ClaimsAsync(first)).TaskId, (await world.ClaimsAsync(second)).TaskId }.Order(StringComparer.Ordinal), tasks.Order(StringComparer.Ordinal));
        Assert.False((await world.DecideAsync(second, "github.search_issues", "repo:acme/web")).Allowed);
        Assert.False(await IsActiveAsync(world, first));
        Assert.True(await IsActiveAsync(world, bobs));
    }

    [Fact]
    public async Task SuspendedThroughTheAgentApi_TasksArePausedNotEnded()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync("research");

        await world.Host.AdminOkAsync(HttpMethod.Post, "agents/research/suspend");

        Assert.False(await IsActiveAsync(world, token));
        var task = await world.Host.AdminOkAsync(HttpMethod.Get, "tasks/" + (await world.ClaimsAsync(token)).TaskId);
        Assert.Equal("active", task["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task CompletedTask_IsAnnouncedWithItsDescendants_AsTaskRevocations()
    {
        await using var world = await TaskWorld.StartAsync();
        var tokens = await ChainAsync(world, "planner", "coder");
        var ids = new[] { (await world.ClaimsAsync(tokens[0])).TaskId, (await world.ClaimsAsync(tokens[1])).TaskId };

        using (var completed = await world.CompleteAsync(tokens[0]))
        {
            Assert.True(completed.IsSuccessStatusCode);
        }

        var log = await world.Host.AdminOkAsync(HttpMethod.Get, "revocations");
        var logged = log["events"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "task").Select(e => e!["subject"]!.GetValue<string>());
        Assert.Equal(ids.Order(StringComparer.Ordinal), logged.Order(StringComparer.Ordinal));
        Assert.False(await IsActiveAsync(world, tokens[1]));
    }

    [Fact]
    public async Task UnknownTask_IsNotFound_AndNothingIsAnnounced()
    {
        await using var world = await TaskWorld.StartAsync();

        using var response = await world.Host.AdminAsync(HttpMethod.Post, "revocations", new { kind = "task", id = "no-such-task" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var log = await world.Host.AdminOkAsync(HttpMethod.Get, "revocations");
        Assert.Empty(log["events"]!.AsArray());
    }

    [Fact]
    public async Task ActiveTaskToken_IntrospectsActive_WithTaskAndAgent_AndNoActWhenNotDelegated()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync("research");
        var claims = await world.ClaimsAsync(token);

        var answer = await world.Host.App.Services.GetRequiredService<IntrospectionService>().IntrospectAsync(token, Ct);

        Assert.True((bool)answer["active"]);
        Assert.Equal(claims.TaskId, answer["tid"]);
        Assert.Equal(claims.Subject, answer["sub"]);
        Assert.Equal(claims.AgentName, answer["writ_agent"]);
        Assert.False(answer.ContainsKey("act"));
        Assert.Equal(claims.ExpiresAt.ToUnixTimeSeconds(), answer["exp"]);
    }

    [Fact]
    public async Task TamperedTaskToken_IntrospectsInactive()
    {
        await using var world = await TaskWorld.StartAsync();
        var token = await world.TaskTokenAsync("research");
        var parts = token.Split('.');
        var tampered = parts[0] + "." + parts[1] + "." + (parts[2][0] == 'A' ? 'B' : 'A') + parts[2][1..];

        Assert.False(await IsActiveAsync(world, tampered));
    }

    private static async Task<List<string>> ChainAsync(TaskWorld world, string root, params string[] delegates)
    {
        var tokens = new List<string> { await world.TaskTokenAsync(root) };
        foreach (var agent in delegates)
        {
            var body = await world.OkAsync(world.DelegateAsync(tokens[^1], await world.IdentityTokenAsync(agent), Narrow));
            tokens.Add(body["access_token"]!.GetValue<string>());
        }

        return tokens;
    }

    private static async Task<bool> IsActiveAsync(TaskWorld world, string token)
    {
        var answer = await world.Host.App.Services.GetRequiredService<IntrospectionService>().IntrospectAsync(token, Ct);
        return answer["active"] is true;
    }
}
