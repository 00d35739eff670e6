using System.CommandLine;

namespace Writ.Cli.Commands;

// `writ revoke ...`
internal static class RevokeCommands
{
    private const string Noun = "revoke";

    public static Command Create(AdminCommandRunner runner)
    {
        var noun = new WritCommand(Noun, "Revoke a token, task, agent, owner, connection or signing key, with cascade.");
        runner.AddConnectionOptions(noun);
        return noun;
    }
}
