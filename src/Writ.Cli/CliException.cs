namespace Writ.Cli;

// A failure the CLI detects itself (bad option value, unreadable file, missing token), with the exit code it maps to.
internal sealed class CliException : Exception
{
    public CliException()
    {
    }

    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CliException(string message, int exitCode)
        : base(message) => ExitCode = exitCode;

    public int ExitCode { get; } = ExitCodes.Error;
}
