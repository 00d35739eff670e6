using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Writ.Core.Domain;

namespace Writ.Core.Identity;

/// <summary>
/// An agent's registered public key: an EC P-256 JWK (ES256), validated as a point on the curve,
/// with no private part, identified by its <c>kid</c> or else its RFC 7638 thumbprint.
/// </summary>
public static class AgentPublicKey
{
    private const int MaxKidLength = 128;

    /// <summary>Validates <paramref name="jwk"/> and turns it into a stored key; on failure <paramref name="error"/> says why.</summary>
    public static bool TryCreate(JsonElement jwk, DateTimeOffset now, out AgentKey? key, out string? error)
    {
        key = null;
        if (jwk.ValueKind != JsonValueKind.Object)
        {
            error = "the key must be a JWK object";
            return false;
        }

        foreach (var privatePart in new[] { "d", "p", "q", "dp", "dq", "qi", "k" })
        {
            if (jwk.TryGetProperty(privatePart, out _))
            {
                error = "the JWK contains private key material; register the public key only";
                return false;
            }
        }

        if (GetString(jwk, "kty") != "EC" || GetString(jwk, "crv") != "P-256")
        {
            error = "only EC P-256 public keys (ES256) can be registered";
            return false;
        }

        if (GetString(jwk, "alg") is { } alg && alg != "ES256")
        {
            error = "the JWK 'alg' must be ES256 when present";
            return false;
        }

        if (GetString(jwk, "use") is { } use && use != "sig")
        {
            error = "the JWK 'use' must be 'sig' when present";
            return false;
        }

        var x = GetString(jwk, "x");
        var y = GetString(jwk, "y");
        if (!TryDecodeCoordinate(x, out var xBytes) || !TryDecodeCoordinate(y, out var yBytes))
        {
            error = "the JWK 'x' and 'y' must be base64url encodings of 32 bytes";
            return false;
        }

        try
        {
            using var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = xBytes, Y = yBytes } });
        }
        catch (CryptographicException)
        {
            error = "the JWK is not a valid point on P-256";
            return false;
        }

        // Re-encode so the stored form and the thumbprint do not depend on non-canonical base64url input.
        x = Base64Url.EncodeToString(xBytes);
        y = Base64Url.EncodeToString(yBytes);
        var thumbprint = Thumbprint(x, y);
        var kid = GetString(jwk, "kid") ?? thumbprint;
        if (kid.Length is 0 or > MaxKidLength || kid.Any(c => c < 0x21 || c > 0x7e))
        {
            error = $"the JWK 'kid' must be 1 to {MaxKidLength} printable ASCII characters";
            return false;
        }

        var canonical = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["kty"] = "EC",
            ["crv"] = "P-256",
            ["x"] = x,
            ["y"] = y,
            ["kid"] = kid,
            ["alg"] = "ES256",
            ["use"] = "sig",
        });
        key = new AgentKey(kid, thumbprint, canonical, now);
        error = null;
        return true;
    }

    /// <summary>The verification key for a stored agent key.</summary>
    public static SecurityKey ToSecurityKey(AgentKey key)
    {
        using var document = JsonDocument.Parse(key.Jwk);
        var root = document.RootElement;
        var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars(GetString(root, "x")), Y = Base64Url.DecodeFromChars(GetString(root, "y")) },
        });
        return new ECDsaSecurityKey(ecdsa) { KeyId = key.Kid };
    }

    /// <summary>RFC 7638 thumbprint of an EC public key: SHA-256 over the required members in lexicographic order.</summary>
    internal static string Thumbprint(string x, string y)
    {
        var canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + x + "\",\"y\":\"" + y + "\"}";
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool TryDecodeCoordinate(string? text, out byte[] bytes)
    {
        bytes = [];
        if (text is null || text.Length != 43 || !Base64Url.IsValid(text))
        {
            return false;
        }

        bytes = Base64Url.DecodeFromChars(text);
        return bytes.Length == 32;
    }
}
