using System.CommandLine;

namespace Writ.Cli.Commands;

// `writ connection ...`
internal static class ConnectionCommands
{
    private const string Noun = "connection";

    public static Command Create(AdminCommandRunner runner)
    {
        var noun = new WritCommand(Noun, "Connections");
        runner.AddConnectionOptions(noun);
        return noun;
    }
}
