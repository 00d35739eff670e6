using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Writ.Core.Identity;

/// <summary>
/// First gate for every JWT presented to Writ, before any key lookup: a compact JWS (not JWE) whose
/// algorithm is on the caller's list (so never <c>none</c> or HMAC), with a <c>kid</c>, without headers
/// that point at keys (<c>jku</c>, <c>x5u</c>, <c>jwk</c>, <c>x5c</c>) or demand extensions (<c>crit</c>),
/// and with the pinned <c>typ</c> when one is pinned.
/// </summary>
internal static class JoseHeaderGuard
{
    /// <summary>Longest JWT accepted anywhere.</summary>
    public const int MaxTokenLength = 8 * 1024;

    // x5t is only a hint (GitHub and Entra send it) and is ignored, so it is not refused.
    private static readonly string[] KeyReferenceHeaders = ["jku", "x5u", "jwk", "x5c"];

    public static JsonWebToken? Read(string? text, IReadOnlyCollection<string> algorithms, IReadOnlyCollection<string?> allowedTypes, out string? error)
    {
        if (string.IsNullOrEmpty(text))
        {
            error = "the token is empty";
            return null;
        }

        if (text.Length > MaxTokenLength)
        {
            error = $"the token is longer than {MaxTokenLength} characters";
            return null;
        }

        if (text.Count(c => c == '.') != 2)
        {
            error = "the token is not a compact JWS (three base64url parts)";
            return null;
        }

        JsonWebToken token;
        try
        {
            token = new JsonWebToken(text);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenMalformedException or FormatException or System.Text.Json.JsonException)
        {
            error = "the token is not a well-formed JWT";
            return null;
        }

        error = Check(token, algorithms, allowedTypes);
        return error is null ? token : null;
    }

    private static string? Check(JsonWebToken token, IReadOnlyCollection<string> algorithms, IReadOnlyCollection<string?> allowedTypes)
    {
        var alg = token.Alg;
        if (string.IsNullOrEmpty(alg) || alg.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return "unsigned tokens (alg none) are not accepted";
        }

        if (alg.StartsWith("HS", StringComparison.OrdinalIgnoreCase))
        {
            return $"symmetric algorithm {alg} is not accepted; sign with the registered asymmetric key";
        }

        if (!algorithms.Contains(alg))
        {
            return $"algorithm {alg} is not accepted (accepted: {string.Join(", ", algorithms)})";
        }

        foreach (var header in KeyReferenceHeaders)
        {
            if (token.TryGetHeaderValue<object>(header, out _))
            {
                return $"the '{header}' header is not accepted; keys come only from registration";
            }
        }

        if (token.TryGetHeaderValue<object>("crit", out _))
        {
            return "the 'crit' header is not supported";
        }

        if (token.TryGetHeaderValue<object>("enc", out _) || token.TryGetHeaderValue<object>("zip", out _))
        {
            return "encrypted or compressed tokens are not accepted";
        }

        if (string.IsNullOrEmpty(token.Kid))
        {
            return "the token has no 'kid' header";
        }

        var typ = string.IsNullOrEmpty(token.Typ) ? null : token.Typ;
        if (!allowedTypes.Any(t => string.Equals(t, typ, StringComparison.OrdinalIgnoreCase)))
        {
            return $"token type '{typ ?? "(none)"}' is not accepted here";
        }

        return null;
    }
}
