using Writ.Server.Tests.Infrastructure;
using Writ.Server.Tests.Policy;
using static Writ.Server.Tests.AuthZen.AuthZenClient;

namespace Writ.Server.Tests.AuthZen;

/// <summary>AuthZEN over Writ's own policy set: agents and owners from Writ's store, activation and rollback without restart.</summary>
public sealed class WritDomainDecisionTests
{
    private const string Eval = "access/v1/evaluation";

    private static readonly string SearchCall = Evaluation("Agent", "bot", "CallTool", "Tool", "github.search_issues");
    private static readonly string MergeCall = Evaluation("Agent", "bot", "CallTool", "Tool", "github.merge_pr");

    private static async Task<WritHost> StartAsync()
    {
        var host = await WritHost.StartAsync();
        await host.AddOwnerAsync("alice");
        await host.RegisterAgentAsync("bot", "alice");
        return host;
    }

    private static Task<System.Text.Json.Nodes.JsonObject> ApplyAsync(WritHost host, string text, bool activate = true) =>
        host.AdminOkAsync(HttpMethod.Post, "policy-sets", new { files = PolicyTestData.Files(("set.cedar", text)), activate });

    [Fact]
    public async Task BeforeAnySet_EverythingIsDenied()
    {
        await using var host = await StartAsync();

        Assert.False(await DecisionAsync(host, Eval, SearchCall));
    }

    [Fact]
    public async Task ActiveSet_Decides_WithAgentsFromTheStore()
    {
        await using var host = await StartAsync();
        await ApplyAsync(host, PolicyTestData.PermitGithub + "\n" + """
            @id("only-alice")
            forbid (principal, action, resource) unless { principal in Writ::Owner::"alice" };
            """);

        var response = await OkAsync(host, Eval, SearchCall);

        Assert.True(response["decision"]!.GetValue<bool>());
        Assert.Equal("permit-github", response["context"]!["policies"]![0]!.GetValue<string>());
        Assert.Equal(1, response["context"]!["policy_version"]!.GetValue<long>());
    }

    [Fact]
    public async Task SuspendedAgent_IsDeniedByItsStatus()
    {
        await using var host = await StartAsync();
        await ApplyAsync(host, PolicyTestData.PermitGithub + "\n" + PolicyTestData.ForbidSuspended);
        Assert.True(await DecisionAsync(host, Eval, SearchCall));

        await host.AdminOkAsync(HttpMethod.Post, "agents/bot/suspend");

        Assert.False(await DecisionAsync(host, Eval, SearchCall));
    }

    [Fact]
    public async Task InvalidSet_IsRefused_AndTheOldSetKeepsDeciding()
    {
        await using var host = await StartAsync();
        await ApplyAsync(host, PolicyTestData.PermitSearch);

        using var refused = await host.AdminAsync(HttpMethod.Post, "policy-sets", new { files = PolicyTestData.Files(("bad.cedar", PolicyTestData.Invalid)) });

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True(await DecisionAsync(host, Eval, SearchCall));
        Assert.False(await DecisionAsync(host, Eval, MergeCall));
    }

    [Fact]
    public async Task ActivationAndRollback_ChangeDecisionsWithoutRestart()
    {
        await using var host = await StartAsync();
        await ApplyAsync(host, PolicyTestData.PermitSearch);
        Assert.False(await DecisionAsync(host, Eval, MergeCall));

        await ApplyAsync(host, PolicyTestData.PermitGithub);
        Assert.True(await DecisionAsync(host, Eval, MergeCall));

        await host.AdminOkAsync(HttpMethod.Post, "policy-sets/1/activate");
        Assert.False(await DecisionAsync(host, Eval, MergeCall));
        Assert.True(await DecisionAsync(host, Eval, SearchCall));
    }

    [Fact]
    public async Task SuspendedThenResumedAgent_IsDecidedByItsCurrentStatusEachTime()
    {
        await using var host = await StartAsync();
        await ApplyAsync(host, PolicyTestData.PermitGithub + "\n" + PolicyTestData.ForbidSuspended);
        Assert.True(await DecisionAsync(host, Eval, SearchCall));

        await host.AdminOkAsync(HttpMethod.Post, "agents/bot/suspend");
        Assert.False(await DecisionAsync(host, Eval, SearchCall));

        await host.AdminOkAsync(HttpMethod.Post, "agents/bot/resume");
        Assert.True(await DecisionAsync(host, Eval, SearchCall));
    }

    [Fact]
    public async Task AgentRegisteredAfterAnUnknownAgentAnswer_IsDecidedAtOnce()
    {
        await using var host = await StartAsync();
        await ApplyAsync(host, PolicyTestData.PermitGithub);
        var late = Evaluation("Agent", "late", "CallTool", "Tool", "github.search_issues");
        Assert.False(await DecisionAsync(host, Eval, late));

        await host.RegisterAgentAsync("late", "alice");

        Assert.True(await DecisionAsync(host, Eval, late));
    }

    [Fact]
    public async Task UnknownAgent_IsDenied_EvenWhenItsForbidWouldFailToEvaluate()
    {
        await using var host = await StartAsync();
        await ApplyAsync(host, PolicyTestData.PermitGithub + "\n" + PolicyTestData.ForbidSuspended);

        var response = await OkAsync(host, Eval, Evaluation("Agent", "ghost", "CallTool", "Tool", "github.search_issues"));

        Assert.False(response["decision"]!.GetValue<bool>());
        Assert.Contains("not registered", response["context"]!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(404, response["context"]!["error"]!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task SubjectProperties_AreMergedOverTheStoredAgent()
    {
        await using var host = await StartAsync();
        await ApplyAsync(host, PolicyTestData.PermitGithub + "\n" + """
            @id("registered-key-only")
            forbid (principal, action, resource) unless { principal.attestation.method == "registered_key" };
            """);

        Assert.False(await DecisionAsync(host, Eval, SearchCall));
        Assert.True(await DecisionAsync(host, Eval, Evaluation("Agent", "bot", "CallTool", "Tool", "github.search_issues", subjectProperties: "{\"attestation\":{\"method\":\"registered_key\",\"issuer\":\"\"}}")));
    }
}
