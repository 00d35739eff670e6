using System.CommandLine;
using Writ.Cli.Commands.Revoke;

namespace Writ.Cli.Commands;

// `writ revoke token|task|agent|owner|connection|key <id>`: one file per kind under Commands/Revoke.
internal static class RevokeCommands
{
    public const string Noun = "revoke";

    public static Command Create(AdminCommandRunner runner)
    {
        var noun = new WritCommand(Noun, "Revoke a token, task, agent, owner, connection or signing key, with cascade.",
            "writ revoke agent research --cause \"prompt injection in ticket 4711\"",
            "writ revoke token 3f0c9a1e7b2d4c58",
            "writ revoke key 5xq2Zk... --json");
        runner.AddConnectionOptions(noun);
        noun.Subcommands.Add(RevokeTokenCommand.Create(runner));
        noun.Subcommands.Add(RevokeTaskCommand.Create(runner));
        noun.Subcommands.Add(RevokeAgentCommand.Create(runner));
        noun.Subcommands.Add(RevokeOwnerCommand.Create(runner));
        noun.Subcommands.Add(RevokeConnectionCommand.Create(runner));
        noun.Subcommands.Add(RevokeKeyCommand.Create(runner));
        return noun;
    }
}
