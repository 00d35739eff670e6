namespace Writ.Gateway.Tests.Conformance;

/// <summary>
/// The proof of transparency: every active server scenario of the official MCP conformance suite passes against the
/// reference server directly, and through the gateway (a task allowing every tool) each scenario's result is the same.
/// </summary>
public sealed class McpConformanceTests(ConformanceRuns runs) : IClassFixture<ConformanceRuns>
{
    [Fact]
    public void TheSuite_RunsActiveScenarios_AndSavesEveryResult()
    {
        Assert.NotEmpty(runs.Direct.Announced);
        Assert.Equal(runs.Direct.Announced.Order(StringComparer.Ordinal), runs.Direct.Scenarios.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(runs.Direct.Announced, runs.ThroughGateway.Announced);
    }

    [Fact]
    public void EveryActiveScenario_PassesDirectly()
    {
        var failed = runs.Direct.Announced.Where(s => !runs.Direct.Passed(s)).Select(s => $"{s}: {runs.Direct.Failures(s)}").ToList();
        Assert.True(failed.Count == 0, "Scenarios that do not pass against the reference server:\n" + string.Join('\n', failed) + "\n\n" + runs.Direct.Log);
        Assert.Equal(0, runs.Direct.ExitCode);
    }

    [Fact]
    public void EveryActiveScenario_ThroughTheGateway_HasTheDirectResult()
    {
        var different = runs.Direct.Announced
            .Where(s => runs.Direct.Outcome(s) != runs.ThroughGateway.Outcome(s))
            .Select(s => $"{s}:\n  direct:  {runs.Direct.Outcome(s)}\n  gateway: {runs.ThroughGateway.Outcome(s)} {runs.ThroughGateway.Failures(s)}")
            .ToList();
        Assert.True(different.Count == 0, "Scenarios whose result through the gateway differs from direct:\n" + string.Join('\n', different) + "\n\n" + runs.ThroughGateway.Log);
        Assert.Equal(runs.Direct.ExitCode, runs.ThroughGateway.ExitCode);
    }

    [Fact]
    public void ThroughTheGateway_EveryToolAndPromptOfTheReference_IsDecidedAndForwarded()
    {
        var forwarded = runs.ToolCalls.Where(r => (string?)r["decision"] == "forwarded").Select(r => (string)r["target"]!).ToHashSet(StringComparer.Ordinal);
        var catalog = runs.World.Catalog;
        var expected = catalog.Tools.Select(ConformanceWorld.ToolName).Concat(catalog.Prompts).Select(name => name + " " + ConformanceWorld.Target);
        var missing = expected.Where(e => !forwarded.Contains(e)).ToList();
        Assert.True(missing.Count == 0, "Calls the suite made through the gateway without a forwarded tool.call record: " + string.Join(", ", missing));

        // Some resources are only subscribed to, which is not a decided call; the read ones must have been decided.
        Assert.Contains(catalog.Resources, r => forwarded.Contains(r + " " + ConformanceWorld.Target));
        Assert.DoesNotContain(runs.Decisions, r => (string?)r["decision"] == "deny");
    }

    [Fact]
    public void ThroughTheGateway_WithoutTheTaskToken_NoScenarioPasses()
    {
        var run = runs.ThroughGatewayWithoutToken;
        Assert.Equal(runs.Direct.Announced, run.Announced);
        var passed = run.Announced.Where(run.Passed).ToList();
        Assert.True(passed.Count == 0, "Scenarios that passed through the gateway without a token: " + string.Join(", ", passed));
    }
}
