namespace Writ.Core.Connections;

/// <summary>What an admin sends to register a connection; which fields apply depends on <see cref="Kind"/>.</summary>
public sealed record AddConnectionRequest
{
    /// <summary>Unique name.</summary>
    public string? Name { get; init; }

    /// <summary>The accountable owner (required).</summary>
    public string? Owner { get; init; }

    /// <summary><c>static_secret</c>, <c>oauth_client_credentials</c> or <c>postgres_admin</c>.</summary>
    public string? Kind { get; init; }

    /// <summary>The secret: the API key or token, the OAuth client secret, or the PostgreSQL admin password.</summary>
    public string? Secret { get; init; }

    /// <summary>Static secret: the header it is injected into.</summary>
    public string? HeaderName { get; init; }

    /// <summary>Static secret: the scheme before it (e.g. Bearer).</summary>
    public string? Scheme { get; init; }

    /// <summary>OAuth: the token endpoint.</summary>
    public string? TokenEndpoint { get; init; }

    /// <summary>OAuth: the client id.</summary>
    public string? ClientId { get; init; }

    /// <summary>OAuth: scopes to request.</summary>
    public IReadOnlyList<string>? Scopes { get; init; }

    /// <summary>OAuth: client_secret_basic (default) or client_secret_post.</summary>
    public string? AuthMethod { get; init; }

    /// <summary>OAuth: the <c>audience</c> parameter sent with each token request, if the upstream wants one.</summary>
    public string? Audience { get; init; }

    /// <summary>PostgreSQL: host.</summary>
    public string? Host { get; init; }

    /// <summary>PostgreSQL: port (default 5432).</summary>
    public int? Port { get; init; }

    /// <summary>PostgreSQL: database.</summary>
    public string? Database { get; init; }

    /// <summary>PostgreSQL: admin user.</summary>
    public string? AdminUser { get; init; }

    /// <summary>PostgreSQL: grant template.</summary>
    public IReadOnlyList<GrantRule>? Grants { get; init; }

    /// <summary>The longest lease, ISO 8601 or seconds (default one hour, at most a day).</summary>
    public string? MaxLeaseDuration { get; init; }

    /// <summary>String labels.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
