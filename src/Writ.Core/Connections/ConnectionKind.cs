namespace Writ.Core.Connections;

/// <summary>What kind of upstream credential source a connection is.</summary>
public enum ConnectionKind
{
    /// <summary>An API key or bearer token injected into calls to an upstream service.</summary>
    StaticSecret,

    /// <summary>OAuth 2.0 client credentials for an upstream authorization server.</summary>
    OAuthClientCredentials,

    /// <summary>A PostgreSQL admin login that mints one dynamic role per lease.</summary>
    PostgresAdmin,
}

/// <summary>The wire names of <see cref="ConnectionKind"/> (API, CLI, storage).</summary>
public static class ConnectionKinds
{
    /// <summary>The wire name of <paramref name="kind"/>.</summary>
    public static string Of(ConnectionKind kind) => kind switch
    {
        ConnectionKind.StaticSecret => "static_secret",
        ConnectionKind.OAuthClientCredentials => "oauth_client_credentials",
        ConnectionKind.PostgresAdmin => "postgres_admin",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>Parses a wire name (exact, lowercase).</summary>
    public static bool TryParse(string? text, out ConnectionKind kind)
    {
        (var ok, kind) = text switch
        {
            "static_secret" => (true, ConnectionKind.StaticSecret),
            "oauth_client_credentials" => (true, ConnectionKind.OAuthClientCredentials),
            "postgres_admin" => (true, ConnectionKind.PostgresAdmin),
            _ => (false, default),
        };
        return ok;
    }
}
