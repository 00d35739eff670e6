using System.CommandLine;

namespace Writ.Cli.Cedar;

// `writ cedar ...`: policy work on local files with the Writ.Cedar engine, the core of the official Cedar CLI.
internal static class CedarCommands
{
    public static Command Create(CliContext context) => Create(context, Console.In);

    // Tests pass their own standard input.
    internal static Command Create(CliContext context, TextReader standardInput)
    {
        ArgumentNullException.ThrowIfNull(context);
        var io = new CedarIo(context, standardInput);
        var cedar = new Command("cedar", "Cedar policy work on local files: authorize, evaluate, validate, check-parse, format, translate, test.");
        cedar.Subcommands.Add(AuthorizeCommand.Create(io));
        cedar.Subcommands.Add(EvaluateCommand.Create(io));
        cedar.Subcommands.Add(ValidateCommand.Create(io));
        cedar.Subcommands.Add(CheckParseCommand.Create(io));
        cedar.Subcommands.Add(FormatCommand.Create(io));
        cedar.Subcommands.Add(TranslatePolicyCommand.Create(io));
        cedar.Subcommands.Add(TranslateSchemaCommand.Create(io));
        cedar.Subcommands.Add(TestCommand.Create(io));
        cedar.Subcommands.Add(SchemaCommand.Create(io));
        return cedar;
    }
}
