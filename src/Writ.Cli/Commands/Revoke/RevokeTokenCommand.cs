using System.Buffers.Text;
using System.Text.Json;

namespace Writ.Cli.Commands.Revoke;

// `writ revoke token <jti|token>`: a pasted token is reduced to its jti here, so the token itself never travels again.
internal static class RevokeTokenCommand
{
    public static WritCommand Create(AdminCommandRunner runner) => RevokeVerb.Create(
        runner,
        "token",
        "Revoke one token by its jti (or paste the token; only its jti is sent).",
        "The token's jti, or the token itself",
        JtiOf,
        "writ revoke token 3f0c9a1e7b2d4c58",
        "writ revoke token \"$(cat token.jwt)\" --cause leaked");

    internal static string JtiOf(string value)
    {
        var parts = value.Split('.');
        if (parts.Length != 3)
        {
            return value;
        }

        try
        {
            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            return payload.RootElement.TryGetProperty("jti", out var jti) && jti.ValueKind == JsonValueKind.String && jti.GetString() is { Length: > 0 } text
                ? text
                : throw new CliException("the token has no jti; revoke it at the RFC 7009 endpoint instead", ExitCodes.Usage);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            throw new CliException("the value looks like a JWT but its payload cannot be read; pass the token's jti", ExitCodes.Usage);
        }
    }
}
