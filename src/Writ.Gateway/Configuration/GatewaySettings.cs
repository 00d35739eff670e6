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
    IReadOnlyList<GatewayRoute> Routes);

/// <summary>The validated storage settings.</summary>
internal sealed record StorageSettings(bool Postgres, string? DataDirectory, string? ConnectionString, string? RootKeyFile);
