using Writ.Cli.Tests.EndToEnd;

namespace Writ.Cli.Tests.Tasks;

// `writ task list|show|cancel` through the real CLI process against a real `writ dev`, with a task an
// agent started over HTTP the way any OAuth client would.
public sealed class TaskCliTests(SqliteDevServerFixture fixture) : IClassFixture<SqliteDevServerFixture>
{
    private WritHost Server => fixture.Server;

    private Task<string> StartTaskAsync(string owner, string agent) => AgentTasks.StartAsync(Server, owner, agent, "triage");

    [Fact]
    public async Task TaskListShowCancel_ShowTheTaskAndEndIt()
    {
        var id = await StartTaskAsync("tara", "tara-agent");

        var table = await Server.CliAsync("task", "list", "--agent", "tara-agent");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains(table.Output.Split('\n'), l => l.Contains(id, StringComparison.Ordinal) && l.Contains("active", StringComparison.Ordinal) && l.Contains("github.search_issues", StringComparison.Ordinal));

        var shown = await Server.CliAsync("task", "show", id);
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Contains("github.search_issues on repo:acme/web", shown.Output, StringComparison.Ordinal);
        Assert.Contains("triage", shown.Output, StringComparison.Ordinal);

        var cancelled = await Server.CliAsync("task", "cancel", id);
        Assert.True(cancelled.ExitCode == 0, cancelled.ToString());
        Assert.Contains("cancelled", cancelled.Output, StringComparison.Ordinal);

        var json = CliJson.Of(await Server.CliAsync("task", "show", id, "--json"));
        Assert.Equal("cancelled", (string?)json["state"]);
        Assert.Equal("bootstrap", (string?)json["endedBy"]);
    }

    [Fact]
    public async Task CancellingAnEndedTask_Exits1_WithOneLineProblem()
    {
        var id = await StartTaskAsync("uma", "uma-agent");
        Assert.Equal(0, (await Server.CliAsync("task", "cancel", id)).ExitCode);

        var again = await Server.CliAsync("task", "cancel", id);

        Assert.True(again.ExitCode == 1, again.ToString());
        Assert.Single(again.Error.TrimEnd().Split('\n'));
        Assert.Contains("already cancelled", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownTask_Exits1()
    {
        var result = await Server.CliAsync("task", "show", "no-such-task");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("no-such-task", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListWithAnUnknownState_IsAUsageError()
    {
        var result = await Server.CliAsync("task", "list", "--state", "paused");

        Assert.NotEqual(0, result.ExitCode);
    }
}
