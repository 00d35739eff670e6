using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Writ.Core.Tasks;

namespace Writ.Gateway.Inbound;

/// <summary>
/// Task tokens whose signature, issuer, audience, type and lifetime this gateway already verified, keyed by the exact
/// token text, so an agent's next call costs a lookup instead of an ES256 verification. An entry is used only before
/// the token's <c>exp</c>; revocation is not cached here (the caller consults the revocation set on every call).
/// Only verified tokens enter, and the cache is bounded: when full, expired entries go, and if none had, all go.
/// </summary>
internal sealed class VerifiedTokenCache(TimeProvider time, int capacity = VerifiedTokenCache.DefaultCapacity)
{
    public const int DefaultCapacity = 10_000;

    private readonly ConcurrentDictionary<string, VerifiedToken> entries = new(StringComparer.Ordinal);

    public int Count => entries.Count;

    public VerifiedToken? Find(string token)
    {
        if (!entries.TryGetValue(token, out var entry))
        {
            return null;
        }

        if (entry.Claims.ExpiresAt > time.GetUtcNow())
        {
            return entry;
        }

        entries.TryRemove(token, out _);
        return null;
    }

    public VerifiedToken Add(string token, TaskTokenClaims claims)
    {
        var entry = VerifiedToken.From(token, claims);
        if (entries.Count >= capacity)
        {
            Evict();
        }

        entries[token] = entry;
        return entry;
    }

    private void Evict()
    {
        var now = time.GetUtcNow();
        foreach (var (token, entry) in entries)
        {
            if (entry.Claims.ExpiresAt <= now)
            {
                entries.TryRemove(token, out _);
            }
        }

        if (entries.Count >= capacity)
        {
            entries.Clear();
        }
    }
}

/// <summary>A verified task token's claims and the facts a revocation can name, worked out once.</summary>
internal sealed record VerifiedToken(TaskTokenClaims Claims, string? KeyId, IReadOnlyList<string> Agents)
{
    public static VerifiedToken From(string token, TaskTokenClaims claims)
    {
        string? kid;
        try
        {
            kid = new JsonWebToken(token).Kid;
        }
        catch (ArgumentException)
        {
            kid = null;
        }

        var agents = new List<string>(claims.Actors.Count + 1) { claims.Subject };
        agents.AddRange(claims.Actors);
        return new VerifiedToken(claims, kid, agents);
    }
}
