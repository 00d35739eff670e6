namespace Writ.Core.Leases;

/// <summary>How <see cref="BrokeredSecrets"/> keeps its in-memory state; the defaults suit production.</summary>
public sealed record BrokeredSecretsOptions
{
    /// <summary>How often counted uses are written to the leases (default 5 s). Ended and evicted leases are written at the next flush.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a connection read from the store is trusted before it is read again (default 5 s), so a rotated secret is picked up.</summary>
    public TimeSpan ConnectionRefresh { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long before its expiry an upstream access token stops being used (default 30 s, at most a fifth of its life).</summary>
    public TimeSpan UpstreamTokenMargin { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a request to an upstream token endpoint may take (default 10 s).</summary>
    public TimeSpan UpstreamTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The most leases held in memory; beyond it the oldest are flushed and dropped (default 100,000).</summary>
    public int MaxCachedLeases { get; init; } = 100_000;

    /// <summary>The most upstream tokens held in memory (default 10,000).</summary>
    public int MaxCachedUpstreamTokens { get; init; } = 10_000;

    /// <summary>The client used for upstream token endpoints; null creates one (no redirects followed).</summary>
    public HttpClient? UpstreamHttp { get; init; }
}
