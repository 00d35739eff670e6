using System.CommandLine;

namespace Writ.Cli.Commands;

// `writ policy ...`
internal static class PolicyCommands
{
    private const string Noun = "policy";

    public static Command Create(AdminCommandRunner runner)
    {
        var noun = new WritCommand(Noun, "Policy sets");
        runner.AddConnectionOptions(noun);
        return noun;
    }
}
