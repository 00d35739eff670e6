namespace Writ.Cli;

// What a command may touch outside itself, so tests can run commands in-process with captured output.
internal sealed class CliContext
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    public required Func<string, string?> GetEnvironmentVariable { get; init; }

    public required string WorkingDirectory { get; init; }

    // True when standard output is a terminal; tables are then sized to the window.
    public bool OutputIsTerminal { get; init; }

    public static CliContext FromProcess() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        GetEnvironmentVariable = Environment.GetEnvironmentVariable,
        WorkingDirectory = Environment.CurrentDirectory,
        OutputIsTerminal = !Console.IsOutputRedirected,
    };
}
