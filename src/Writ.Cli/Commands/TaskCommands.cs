using System.CommandLine;

namespace Writ.Cli.Commands;

// `writ task ...`
internal static class TaskCommands
{
    private const string Noun = "task";

    public static Command Create(AdminCommandRunner runner)
    {
        var noun = new WritCommand(Noun, "Tasks");
        runner.AddConnectionOptions(noun);
        return noun;
    }
}
