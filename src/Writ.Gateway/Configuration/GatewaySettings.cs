using Writ.Core.Domain;

namespace Writ.Gateway.Configuration;

/// <summary>The validated configuration the gateway runs with.</summary>
internal sealed record GatewaySettings(
    Uri Issuer,
    TrustDomain TrustDomain,
    Uri JwksUri,
    Uri RevocationsUri,
    Uri TokenEndpoint,
    string RevocationsAuthorization,
    string Audience,
    IReadOnlyList<string> Urls,
    string? PublicUrl,
    StorageSettings Storage,
    long MaxBodyBytes,
    TimeSpan UpstreamTimeout,
    IReadOnlyList<GatewayRoute> Routes)
{
    /// <summary>How long an MCP <c>GET</c> event stream may stay quiet, unless its route says otherwise.</summary>
    public TimeSpan StreamIdleTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The idle limit of a <c>GET</c> event stream on <paramref name="route"/>.</summary>
    public TimeSpan StreamIdleTimeoutFor(GatewayRoute route) => route.StreamIdleTimeout ?? StreamIdleTimeout;
}

/// <summary>The validated storage settings.</summary>
internal sealed record StorageSettings(bool Postgres, string? DataDirectory, string? ConnectionString, string? RootKeyFile);
