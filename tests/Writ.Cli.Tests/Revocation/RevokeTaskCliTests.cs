using Writ.Cli.Tests.EndToEnd;

namespace Writ.Cli.Tests.Revocation;

// `writ revoke task` through the real CLI process against a real `writ dev` on SQLite, with a task started
// over HTTP by token exchange as an agent would.
public sealed class RevokeTaskCliTests(SqliteDevServerFixture fixture) : IClassFixture<SqliteDevServerFixture>
{
    private WritHost Server => fixture.Server;

    [Fact]
    public async Task RevokeTask_PrintsTheTaskEvent_AndTheTaskIsRevoked()
    {
        var id = await StartTaskAsync("rita", "rita-agent");

        var result = await Server.CliAsync("revoke", "task", id, "--cause", "runaway");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Revoked task " + id, result.Output, StringComparison.Ordinal);
        Assert.Contains(result.Output.Split('\n'), l => l.Contains("task", StringComparison.Ordinal) && l.Contains(id, StringComparison.Ordinal));
        var shown = CliJson.Of(await Server.CliAsync("task", "show", id, "--json"));
        Assert.Equal("revoked", (string?)shown["state"]);
    }

    [Fact]
    public async Task RevokeTask_Json_ListsTheEndedTask()
    {
        var id = await StartTaskAsync("jon", "jon-agent");

        var result = await Server.CliAsync("revoke", "task", id, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var first = CliJson.Of(result)["ended"]![0]!;
        Assert.Equal("task", (string?)first["kind"]);
        Assert.Equal(id, (string?)first["subject"]);
    }

    [Fact]
    public async Task RevokeUnknownTask_Fails()
    {
        var result = await Server.CliAsync("revoke", "task", "no-such-task");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("task_not_found", result.Error + result.Output, StringComparison.Ordinal);
    }

    private Task<string> StartTaskAsync(string owner, string agent) => AgentTasks.StartAsync(Server, owner, agent, "revocation test");
}
