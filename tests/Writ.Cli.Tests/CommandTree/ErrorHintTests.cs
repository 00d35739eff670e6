using Writ.Cli.Api;
using Writ.Cli.Commands;

namespace Writ.Cli.Tests.CommandTree;

// The "how to fix it" half of a server error names a command that exists and fits the command that failed.
public sealed class ErrorHintTests
{
    private static readonly AdminConnection Connection = new(new Uri("http://127.0.0.1:7600/"), "t", "--token");

    [Theory]
    [InlineData("task_not_found", "task", "writ task list")]
    [InlineData("task_not_found", "revoke", "writ task list")]
    [InlineData("connection_not_found", "connection", "writ connection add")]
    [InlineData("lease_not_found", "lease", "writ lease list")]
    [InlineData("policy_set_not_found", "policy", "writ policy list")]
    [InlineData("pdp_client_not_found", "policy pdp-client", "writ policy pdp-client list")]
    [InlineData("key_not_found", "agent-key", "writ agent-key list <agent>")]
    [InlineData("key_not_found", "key", "writ key list")]
    [InlineData("connection_exists", "connection", "writ connection list")]
    public void NotFoundOrExists_PointsAtTheCommandThatShowsWhatExists(string code, string noun, string expected)
    {
        var problem = new ApiProblem(code.EndsWith("_exists", StringComparison.Ordinal) ? 409 : 404, null, "it does not fit", code, null);

        Assert.Contains(expected, ProblemHints.For(problem, Connection, noun), StringComparison.Ordinal);
    }

    [Fact]
    public void ExistsForANounWithoutAList_SaysToChooseAnotherName()
    {
        var problem = new ApiProblem(409, null, "store 'docs' already exists", "store_exists", null);

        Assert.Equal("Choose another name.", ProblemHints.For(problem, Connection, "policy"));
    }

    [Fact]
    public void BadValue_PointsAtTheHelpOfTheExactCommand()
    {
        var problem = new ApiProblem(400, null, "'limit' must be a whole number from 1 to 1000", "invalid_limit", null);

        Assert.Contains("`writ audit search --help`", ProblemHints.For(problem, Connection, "audit", "audit search"), StringComparison.Ordinal);
    }
}
