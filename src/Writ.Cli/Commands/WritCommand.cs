using System.CommandLine;

namespace Writ.Cli.Commands;

// A command that carries usage examples, which `--help` prints after the generated help.
internal sealed class WritCommand(string name, string description, params string[] examples) : Command(name, description)
{
    public IReadOnlyList<string> Examples { get; } = examples;
}
