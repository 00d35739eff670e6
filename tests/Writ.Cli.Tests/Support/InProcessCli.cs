namespace Writ.Cli.Tests.Support;

// Runs `writ` in this process with captured output, a chosen environment and working directory.
internal sealed class InProcessCli : IDisposable
{
    private readonly Dictionary<string, string> environment = new(StringComparer.Ordinal);

    public InProcessCli()
    {
        WorkingDirectory = Directory.CreateTempSubdirectory("writ-cli-test-").FullName;
    }

    public string WorkingDirectory { get; }

    public InProcessCli WithEnvironment(string name, string value)
    {
        environment[name] = value;
        return this;
    }

    public CliContext Context(StringWriter output, StringWriter error) => new()
    {
        Out = output,
        Error = error,
        GetEnvironmentVariable = name => environment.GetValueOrDefault(name),
        WorkingDirectory = WorkingDirectory,
        OutputIsTerminal = false,
    };

    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await WritCli.RunAsync(args, Context(output, error));
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}

internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}
