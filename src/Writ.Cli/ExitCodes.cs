namespace Writ.Cli;

// Process exit codes of `writ`, stable so scripts can branch on them (docs/guides/cli.md lists them).
// `writ cedar ...` keeps the official Cedar CLI's codes instead (CedarExitCodes).
internal static class ExitCodes
{
    public const int Ok = 0;

    // The server refused the request (problem details), or the CLI rejected a value before sending it.
    public const int Error = 1;

    // The command line itself was wrong: unknown command, missing argument, bad option value.
    public const int Usage = 2;

    // No answer from the server: connection refused, unknown host, timeout, TLS failure.
    public const int Unreachable = 3;

    // A check ran to its end and found a fault: `writ audit verify` on a log that does not verify.
    // Distinct from Error so scripts can tell "tampered" from "could not check".
    public const int VerificationFailed = 4;
}
