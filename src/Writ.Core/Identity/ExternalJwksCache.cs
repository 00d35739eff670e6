using System.Collections.Concurrent;
using Microsoft.IdentityModel.Tokens;

namespace Writ.Core.Identity;

/// <summary>
/// Keys of external issuers fetched from their JWKS URIs: cached for <see cref="CacheDuration"/>, and on an
/// unknown <c>kid</c> refreshed at most once per <see cref="MinRefreshInterval"/> per URI, so a stream of
/// tokens with made-up kids cannot make Writ hammer the issuer.
/// </summary>
public sealed class ExternalJwksCache(HttpClient http, TimeProvider time) : IDisposable
{
    /// <summary>How long fetched keys are used before they are fetched again.</summary>
    public static readonly TimeSpan CacheDuration = TimeSpan.FromMinutes(10);

    /// <summary>The shortest interval between two fetches of one URI.</summary>
    public static readonly TimeSpan MinRefreshInterval = TimeSpan.FromSeconds(30);

    private const int MaxJwksBytes = 256 * 1024;
    private static readonly TimeSpan MaxStaleness = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> fetchGates = new(StringComparer.Ordinal);

    /// <summary>The key with <paramref name="kid"/> published at <paramref name="jwksUri"/>, or null.</summary>
    public async Task<JsonWebKey?> FindAsync(string jwksUri, string kid, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        entries.TryGetValue(jwksUri, out var entry);
        if (entry is null || (now - entry.FetchedAt >= CacheDuration && now - entry.AttemptedAt >= MinRefreshInterval))
        {
            entry = await RefreshAsync(jwksUri, entry, cancellationToken);
        }

        if (entry.Keys.TryGetValue(kid, out var key))
        {
            return key;
        }

        if (time.GetUtcNow() - entry.AttemptedAt >= MinRefreshInterval)
        {
            entry = await RefreshAsync(jwksUri, entry, cancellationToken);
            if (entry.Keys.TryGetValue(kid, out key))
            {
                return key;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var gate in fetchGates.Values)
        {
            gate.Dispose();
        }
    }

    private async Task<Entry> RefreshAsync(string jwksUri, Entry? seen, CancellationToken cancellationToken)
    {
        // One fetch per URI at a time, so a slow issuer delays only its own tokens.
        var fetchGate = fetchGates.GetOrAdd(jwksUri, static _ => new SemaphoreSlim(1, 1));
        await fetchGate.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have refreshed while this one waited.
            if (entries.TryGetValue(jwksUri, out var current) && !ReferenceEquals(current, seen))
            {
                return current;
            }

            var fetched = await FetchAsync(jwksUri, cancellationToken);
            var now = time.GetUtcNow();
            Entry next;
            if (fetched is not null)
            {
                next = new Entry(fetched, now, now);
            }
            else if (seen is not null && now - seen.FetchedAt < MaxStaleness)
            {
                // The issuer is unreachable: keep its last keys for a while, and remember the attempt.
                next = seen with { AttemptedAt = now };
            }
            else
            {
                next = new Entry(new Dictionary<string, JsonWebKey>(), DateTimeOffset.MinValue, now);
            }

            entries[jwksUri] = next;
            return next;
        }
        finally
        {
            fetchGate.Release();
        }
    }

    private async Task<IReadOnlyDictionary<string, JsonWebKey>?> FetchAsync(string jwksUri, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            using var response = await http.GetAsync(new Uri(jwksUri), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength > MaxJwksBytes)
            {
                return null;
            }

            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            var buffer = new byte[MaxJwksBytes + 1];
            var total = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(total), timeout.Token)) > 0)
            {
                total += read;
                if (total > MaxJwksBytes)
                {
                    return null;
                }
            }

            var json = System.Text.Encoding.UTF8.GetString(buffer, 0, total);
            return PublicKeySet.TryParse(json, out var keys, out _) ? keys : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return null;
        }
    }

    private sealed record Entry(IReadOnlyDictionary<string, JsonWebKey> Keys, DateTimeOffset FetchedAt, DateTimeOffset AttemptedAt);
}
