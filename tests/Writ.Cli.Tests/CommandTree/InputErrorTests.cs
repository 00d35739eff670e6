using Writ.Cli.Tests.Support;

namespace Writ.Cli.Tests.CommandTree;

// Values the CLI can judge itself are refused before anything is sent, with the flag named and a valid example.
public sealed class InputErrorTests
{
    [Theory]
    [InlineData("'abc' is not a policy set version", "policy", "activate", "abc")]
    [InlineData("'abc' is not a policy set version", "policy", "show", "abc")]
    [InlineData("'x' is not a sequence number", "audit", "show", "x")]
    [InlineData("'ten' is not a record count", "audit", "search", "--limit", "ten")]
    [InlineData("'ten' is not a record count", "audit", "tail", "-n", "ten")]
    [InlineData("'big' is not a tree size", "audit", "prune", "--before", "big")]
    [InlineData("'many' is not a task count", "task", "list", "--limit", "many")]
    [InlineData("'pg' is not a port", "connection", "add", "db", "--owner", "alice", "--kind", "postgres_admin", "--port", "pg", "--secret-stdin")]
    [InlineData("--since 'yesterday' is not a time", "audit", "search", "--since", "yesterday")]
    [InlineData("--until 'soon' is not a time", "audit", "search", "--until", "soon")]
    public async Task MalformedValue_IsRefusedBeforeSending_WithAUsageError(string expected, params string[] args)
    {
        using var cli = new InProcessCli();

        // An unused port: refusing the value must happen before any connection is tried (which would exit 3).
        var result = await cli.RunAsync([.. args, "--token", "t", "--server", "http://127.0.0.1:" + Ports.Free()]);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains(expected, result.Error + result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("System.Int", result.Error + result.Output, StringComparison.Ordinal);
    }
}
