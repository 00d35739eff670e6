namespace Writ.Cli.Cedar;

// An input of a `writ cedar` verb could not be read or parsed; the message names the input and says why.
internal sealed class CedarInputException : Exception
{
    public CedarInputException()
    {
    }

    public CedarInputException(string message)
        : base(message)
    {
    }

    public CedarInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CedarInputException(CedarDiagnostic diagnostic, Exception? innerException = null)
        : base(diagnostic.ToText(), innerException) => Diagnostic = diagnostic;

    public CedarDiagnostic? Diagnostic { get; }

    public int ExitCode { get; init; } = CedarExitCodes.Failure;
}
