using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Writ.Cli.Commands;

// Prints the generated help, then an "Examples:" section for commands that have examples.
internal sealed class ExamplesHelpAction(HelpAction inner, IReadOnlyList<string> rootExamples) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        inner.Invoke(parseResult);
        var command = parseResult.CommandResult.Command;
        var examples = command switch
        {
            WritCommand writ => writ.Examples,
            RootCommand => rootExamples,
            _ => [],
        };
        if (examples.Count == 0)
        {
            return 0;
        }

        var output = parseResult.InvocationConfiguration.Output;
        output.WriteLine("Examples:");
        foreach (var example in examples)
        {
            output.WriteLine("  " + example);
        }

        output.WriteLine();
        return 0;
    }

    public static void Install(RootCommand root, IReadOnlyList<string> rootExamples)
    {
        foreach (var option in root.Options)
        {
            if (option is HelpOption { Action: HelpAction inner } help)
            {
                help.Action = new ExamplesHelpAction(inner, rootExamples);
            }
        }
    }
}
