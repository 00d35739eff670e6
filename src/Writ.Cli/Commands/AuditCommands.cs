using System.CommandLine;

namespace Writ.Cli.Commands;

// `writ audit ...`
internal static class AuditCommands
{
    private const string Noun = "audit";

    public static Command Create(AdminCommandRunner runner)
    {
        var noun = new WritCommand(Noun, "The tamper-evident audit log");
        runner.AddConnectionOptions(noun);
        noun.Subcommands.Add(AuditVerifyCommand.Create(runner.Context));
        return noun;
    }
}
