using System.CommandLine;

namespace Writ.Cli.Cedar;

// Extension point for `writ cedar ...` (policy work: parse, validate, format, evaluate), filled in by the
// Cedar work. Add verbs to the returned noun; WritCli registers it once it has at least one verb.
internal static class CedarCommands
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Command("cedar", "Cedar policy work: parse, validate and evaluate policies locally.");
    }
}
