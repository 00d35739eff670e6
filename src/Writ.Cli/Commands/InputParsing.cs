using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Writ.Cli.Commands;

// Client-side reading of option values, so a typo is reported before anything is sent.
internal static partial class InputParsing
{
    // JWK and JWKS files are small; a larger file is a wrong path, not a key.
    private const long MaxJsonFileBytes = 256 * 1024;

    // "600", "90s", "10m", "1h" or ISO 8601 ("PT10M") → ISO 8601, the form the API documents.
    public static string Duration(string text, string optionName)
    {
        text = text.Trim();
        if (IsoDuration().IsMatch(text))
        {
            return text.ToUpperInvariant();
        }

        var match = ShortDuration().Match(text);
        if (match.Success && long.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            var unit = match.Groups["u"].Value.ToUpperInvariant();
            return $"PT{n}{(unit.Length == 0 ? "S" : unit)}";
        }

        throw new CliException($"{optionName} '{text}' is not a duration; use e.g. 600 (seconds), 90s, 10m, 1h or PT10M.", ExitCodes.Usage);
    }

    // Catches what is plainly not a time ("yesterday") with the flag's name; the server still checks the rest.
    public static string? Time(string? text, string optionName) =>
        text is null || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _)
            ? text
            : throw new CliException($"{optionName} '{text}' is not a time; use ISO 8601, e.g. 2026-03-01T12:00:00Z.", ExitCodes.Usage);

    // key=value pairs; the first '=' splits, so values may contain '='.
    public static JsonObject Metadata(IEnumerable<string> pairs)
    {
        var metadata = new JsonObject();
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new CliException($"--metadata '{pair}' is not key=value.", ExitCodes.Usage);
            }

            var key = pair[..eq].Trim();
            if (metadata.ContainsKey(key))
            {
                throw new CliException($"--metadata key '{key}' is given twice.", ExitCodes.Usage);
            }

            metadata[key] = pair[(eq + 1)..];
        }

        return metadata;
    }

    // "<agent>:<claim>=<value>[,<claim>=<value>...]": every claim must match for the rule to map a token to the agent.
    public static JsonObject Rule(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == text.Length - 1)
        {
            throw new CliException($"--rule '{text}' is not <agent>:<claim>=<value>[,<claim>=<value>...].", ExitCodes.Usage);
        }

        var claims = new JsonObject();
        foreach (var part in text[(colon + 1)..].Split(','))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == part.Length - 1)
            {
                throw new CliException($"--rule '{text}': '{part}' is not <claim>=<value>.", ExitCodes.Usage);
            }

            var claim = part[..eq].Trim();
            if (claims.ContainsKey(claim))
            {
                throw new CliException($"--rule '{text}': claim '{claim}' is given twice.", ExitCodes.Usage);
            }

            claims[claim] = part[(eq + 1)..];
        }

        return new JsonObject { ["claims"] = claims, ["agent"] = text[..colon].Trim() };
    }

    // Accepts "a,b" as well as repeated options.
    public static string[] CommaSeparated(IEnumerable<string> values, IReadOnlyCollection<string> allowed, string optionName)
    {
        var result = values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal).ToArray();
        foreach (var value in result)
        {
            if (!allowed.Contains(value))
            {
                throw new CliException($"{optionName} '{value}' is not one of: {string.Join(", ", allowed)}.", ExitCodes.Usage);
            }
        }

        return result;
    }

    // A public JWK from a file. A file holding a private key is refused: the private part must never leave the agent.
    public static JsonObject PublicJwkFile(string path)
    {
        var jwk = JsonFile(path, "--public-key") as JsonObject
            ?? throw new CliException($"--public-key {path} does not hold a JSON object (a JWK).");
        RefusePrivateKey(jwk, path);
        return jwk;
    }

    // A JWKS (`{"keys":[...]}`) from a file, public keys only.
    public static JsonObject JwksFile(string path, string optionName)
    {
        if (JsonFile(path, optionName) is not JsonObject jwks || jwks["keys"] is not JsonArray keys)
        {
            throw new CliException($"{optionName} {path} does not hold a JWKS (a JSON object with a \"keys\" array).");
        }

        foreach (var key in keys)
        {
            RefusePrivateKey(key as JsonObject ?? throw new CliException($"{optionName} {path}: every entry of \"keys\" must be a JWK object."), path);
        }

        return jwks;
    }

    private static void RefusePrivateKey(JsonObject jwk, string path)
    {
        // "d" is the private part of EC, OKP and RSA keys; "k" is a symmetric key.
        if (jwk.ContainsKey("d") || jwk.ContainsKey("k"))
        {
            throw new CliException($"{path} holds a private or secret key; give only the public key (without \"d\").");
        }
    }

    private static JsonNode? JsonFile(string path, string optionName)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new CliException($"{optionName} {path}: no such file.");
            }

            if (info.Length > MaxJsonFileBytes)
            {
                throw new CliException($"{optionName} {path} is larger than {MaxJsonFileBytes / 1024} KiB; it is not a key file.");
            }

            return JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new CliException($"{optionName} {path} is not valid JSON: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{optionName} {path} cannot be read: {e.Message}");
        }
    }

    [GeneratedRegex(@"^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IsoDuration();

    [GeneratedRegex(@"^(?<n>\d{1,9})(?<u>[smhSMH]?)$", RegexOptions.CultureInvariant)]
    private static partial Regex ShortDuration();
}
