namespace Writ.Cli.Cedar;

// Exit codes of the `writ cedar` verbs. They follow the official Cedar CLI (0 success, 1 failure, 2 deny,
// 3 validation failure), so scripts written for `cedar` keep working; `writ cedar test` uses 2 for unreadable input.
internal static class CedarExitCodes
{
    public const int Ok = 0;

    // Unreadable or malformed input, an evaluation error, unformatted text under --check, failed test checks.
    public const int Failure = 1;

    // `authorize` decided deny.
    public const int Deny = 2;

    // `test` could not read its input at all.
    public const int InputUnreadable = 2;

    // `validate` found errors (or warnings under --deny-warnings).
    public const int ValidationFailed = 3;
}
