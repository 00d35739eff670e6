using System.CommandLine;

namespace Writ.Cli.Commands;

// `writ audit ...`
internal static class AuditCommands
{
    private const string Noun = "audit";

    public static Command Create(AdminCommandRunner runner)
    {
        var noun = new WritCommand(Noun, "The tamper-evident audit log: search, follow, show with proof, export and verify.",
            "writ audit search --agent spiffe://acme.test/agent/research --type identity.issued",
            "writ audit tail --follow",
            "writ audit show 42",
            "writ audit export > audit.jsonl",
            "writ audit prune --before 100000");
        runner.AddConnectionOptions(noun);
        noun.Subcommands.Add(AuditLogCommands.Search(runner, Noun));
        noun.Subcommands.Add(AuditLogCommands.Tail(runner, Noun));
        noun.Subcommands.Add(AuditLogCommands.Show(runner, Noun));
        noun.Subcommands.Add(AuditLogCommands.Export(runner, Noun));
        noun.Subcommands.Add(AuditLogCommands.Prune(runner, Noun));
        noun.Subcommands.Add(AuditVerifyCommand.Create(runner.Context));
        return noun;
    }
}
