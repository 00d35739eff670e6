using System.CommandLine;

namespace Writ.Cli.Commands.Completion;

// Completions for option values that are a fixed set but are declared where the set is not (the host
// flags of `writ dev` and `writ server`). Options that already suggest their own values are left alone.
internal static class ValueCompletions
{
    private static readonly Dictionary<string, string[]> ByOption = new(StringComparer.Ordinal)
    {
        ["--storage"] = ["sqlite", "postgres"],
    };

    public static void Install(Command command)
    {
        foreach (var option in command.Options)
        {
            if (ByOption.TryGetValue(option.Name, out var values) && option.CompletionSources.Count == 0)
            {
                option.CompletionSources.Add(values);
            }
        }

        foreach (var subcommand in command.Subcommands)
        {
            Install(subcommand);
        }
    }
}
