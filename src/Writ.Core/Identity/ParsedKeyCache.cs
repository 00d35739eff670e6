using System.Collections.Concurrent;
using Microsoft.IdentityModel.Tokens;
using Writ.Core.Domain;

namespace Writ.Core.Identity;

/// <summary>
/// Parsed verification keys keyed by their stored JSON text, so the hot path neither re-parses JWKs nor
/// defeats the crypto provider cache with a fresh key object per request. The text is the key, so a
/// changed registration is simply a new entry; the cache is bounded and dropped wholesale when full.
/// </summary>
internal static class ParsedKeyCache
{
    private const int MaxEntries = 10_000;
    private static readonly ConcurrentDictionary<string, SecurityKey> AgentKeys = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, JsonWebKey>?> KeySets = new(StringComparer.Ordinal);

    public static SecurityKey AgentKey(AgentKey key)
    {
        if (AgentKeys.Count >= MaxEntries)
        {
            AgentKeys.Clear();
        }

        return AgentKeys.GetOrAdd(key.Kid + "\n" + key.Jwk, static (_, k) => AgentPublicKey.ToSecurityKey(k), key);
    }

    /// <summary>The keys of a stored JWKS by kid, or null when the text is not an acceptable key set.</summary>
    public static IReadOnlyDictionary<string, JsonWebKey>? KeySet(string json)
    {
        if (KeySets.Count >= MaxEntries)
        {
            KeySets.Clear();
        }

        return KeySets.GetOrAdd(json, static text => PublicKeySet.TryParse(text, out var keys, out _) ? keys : null);
    }
}
