using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Writ.Core.Identity;

/// <summary>
/// A JWKS of public verification keys (external issuers, private_key_jwt clients): EC or RSA only,
/// each with a <c>kid</c>, never symmetric or private keys.
/// </summary>
public static class PublicKeySet
{
    /// <summary>Most keys a set may hold.</summary>
    public const int MaxKeys = 32;

    /// <summary>Parses <paramref name="json"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string json, out IReadOnlyDictionary<string, JsonWebKey> keys, out string? error)
    {
        keys = new Dictionary<string, JsonWebKey>();
        JsonWebKeySet set;
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("keys", out var array) || array.ValueKind != JsonValueKind.Array)
            {
                error = "a JWKS is an object with a 'keys' array";
                return false;
            }

            set = new JsonWebKeySet(json);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            error = "the JWKS is not valid JSON";
            return false;
        }

        var result = new Dictionary<string, JsonWebKey>(StringComparer.Ordinal);
        foreach (var key in set.Keys)
        {
            if (key.Kty is not ("EC" or "RSA"))
            {
                error = "only EC and RSA public keys are accepted";
                return false;
            }

            if (key.HasPrivateKey || key.D is not null)
            {
                error = "the JWKS contains private key material; publish public keys only";
                return false;
            }

            if (string.IsNullOrEmpty(key.Kid) || key.Kid.Length > 128)
            {
                error = "every key needs a 'kid' of at most 128 characters";
                return false;
            }

            if (key.Use is not (null or "sig"))
            {
                continue;
            }

            if (!result.TryAdd(key.Kid, key))
            {
                error = $"kid '{key.Kid}' appears twice";
                return false;
            }
        }

        if (result.Count is 0 or > MaxKeys)
        {
            error = $"the JWKS must hold 1 to {MaxKeys} signing keys";
            return false;
        }

        keys = result;
        error = null;
        return true;
    }
}
