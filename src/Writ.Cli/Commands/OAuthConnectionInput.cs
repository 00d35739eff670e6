namespace Writ.Cli.Commands;

// The OAuth client-credentials parameters of `writ connection add`, checked before the secret is read or anything
// is sent, with the same limits the server applies (RFC 6749 §3.3 scope tokens, at most 32; an audience without
// whitespace, at most 512 characters).
internal static class OAuthConnectionInput
{
    public const string Kind = "oauth_client_credentials";

    private const int MaxScopes = 32;
    private const int MaxScopeLength = 128;
    private const int MaxAudienceLength = 512;

    // `--scope "repo:read issues:write"` is read as the space-separated list OAuth's scope parameter is.
    public static string[] Scopes(IEnumerable<string> values)
    {
        var scopes = values.SelectMany(v => v.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)).Distinct(StringComparer.Ordinal).ToArray();
        foreach (var scope in scopes)
        {
            if (scope.Length > MaxScopeLength || !scope.All(IsScopeCharacter))
            {
                throw new CliException(
                    $"--scope '{Printable(scope)}' is not an OAuth scope: at most {MaxScopeLength} printable ASCII characters without quotes or backslashes, e.g. --scope repo:read.",
                    ExitCodes.Usage);
            }
        }

        return scopes.Length <= MaxScopes
            ? scopes
            : throw new CliException($"--scope is given {scopes.Length} scopes; a connection requests at most {MaxScopes}.", ExitCodes.Usage);
    }

    public static string? Audience(string? value)
    {
        if (value is null)
        {
            return null;
        }

        return value.Length is > 0 and <= MaxAudienceLength && !value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
            ? value
            : throw new CliException(
                $"--audience '{Printable(value)}' is not an audience: 1 to {MaxAudienceLength} characters without spaces, e.g. --audience https://api.example.com.",
                ExitCodes.Usage);
    }

    // The flags only an OAuth connection takes; naming one for another kind is a mistake worth stopping early.
    public static void RequireKind(string kind, IEnumerable<(string Option, bool Given)> options)
    {
        if (string.Equals(kind, Kind, StringComparison.Ordinal))
        {
            return;
        }

        var given = options.Where(o => o.Given).Select(o => o.Option).ToArray();
        if (given.Length > 0)
        {
            throw new CliException($"{string.Join(", ", given)} apply only to --kind {Kind}, not {kind}.", ExitCodes.Usage);
        }
    }

    private static bool IsScopeCharacter(char c) => c is '\x21' or (>= '\x23' and <= '\x5B') or (>= '\x5D' and <= '\x7E');

    private static string Printable(string text) =>
        string.Concat(text.Take(80).Select(c => char.IsControl(c) ? '?' : c));
}
