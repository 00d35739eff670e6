using Writ.Core.Admin;

namespace Writ.Core.Connections;

/// <summary>The field rules of each connection kind: what must be there, what must not, and what shapes are allowed.</summary>
internal static class ConnectionRules
{
    public static readonly TimeSpan DefaultMaxLease = TimeSpan.FromHours(1);
    public static readonly TimeSpan LongestMaxLease = TimeSpan.FromDays(1);

    private const int MaxMetadataEntries = 32;
    private static readonly string[] ReservedHeaders = ["host", "content-length", "transfer-encoding", "connection", "upgrade", "te", "trailer", "keep-alive", "proxy-connection", "cookie"];

    public static AdminError? Validate(AddConnectionRequest request, ConnectionKind kind, out ConnectionSettings settings)
    {
        settings = new ConnectionSettings();
        var error = Metadata(request.Metadata) ?? Secret(request.Secret) ?? Unexpected(request, kind);
        if (error is not null)
        {
            return error;
        }

        var maxLease = DefaultMaxLease;
        if (request.MaxLeaseDuration is not null && (!Durations.TryParse(request.MaxLeaseDuration, out maxLease) || maxLease > LongestMaxLease || maxLease < TimeSpan.FromMinutes(1)))
        {
            return AdminError.Invalid("invalid_max_lease_duration", "'maxLeaseDuration' must be a duration from 1 minute to 1 day (PT1H or seconds)");
        }

        switch (kind)
        {
            case ConnectionKind.StaticSecret:
                if (!IsToken(request.HeaderName, 64) || ReservedHeaders.Contains(request.HeaderName!.ToLowerInvariant()))
                {
                    return AdminError.Invalid("invalid_header_name", "'headerName' is required for static_secret: an HTTP header name such as Authorization or X-Api-Key (not a hop-by-hop, Host, Cookie or length header)");
                }

                if (request.Scheme is not null && !IsToken(request.Scheme, 32))
                {
                    return AdminError.Invalid("invalid_scheme", "'scheme' must be an HTTP auth scheme token such as Bearer");
                }

                settings = new ConnectionSettings { HeaderName = request.HeaderName, Scheme = request.Scheme, MaxLeaseDuration = maxLease };
                return null;

            case ConnectionKind.OAuthClientCredentials:
                if (request.TokenEndpoint is null || request.TokenEndpoint.Length > 2048 || !AdminValidation.IsAcceptableJwksUri(request.TokenEndpoint))
                {
                    return AdminError.Invalid("invalid_token_endpoint", "'tokenEndpoint' is required for oauth_client_credentials: an https URL (http only on loopback) without user info or fragment");
                }

                if (AdminValidation.Text(request.ClientId, "clientId", 256, required: true) is { } clientIdError)
                {
                    return clientIdError;
                }

                if (request.Scopes is { } scopes && (scopes.Count > 32 || scopes.Any(s => !IsScopeToken(s))))
                {
                    return AdminError.Invalid("invalid_scopes", "'scopes' holds at most 32 OAuth scope tokens (printable ASCII without spaces, quotes or backslashes)");
                }

                var method = request.AuthMethod ?? "client_secret_basic";
                if (method is not ("client_secret_basic" or "client_secret_post"))
                {
                    return AdminError.Invalid("invalid_auth_method", "'authMethod' must be client_secret_basic or client_secret_post");
                }

                if (request.Audience is not null && (request.Audience.Length is 0 or > 512 || request.Audience.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))))
                {
                    return AdminError.Invalid("invalid_audience", "'audience' is at most 512 characters without whitespace or control characters");
                }

                settings = new ConnectionSettings { TokenEndpoint = request.TokenEndpoint, ClientId = request.ClientId, Scopes = request.Scopes, AuthMethod = method, Audience = request.Audience, MaxLeaseDuration = maxLease };
                return null;

            default:
                if (!IsHost(request.Host))
                {
                    return AdminError.Invalid("invalid_host", "'host' is required for postgres_admin: a host name or IP address");
                }

                if (request.Port is { } port && port is < 1 or > 65535)
                {
                    return AdminError.Invalid("invalid_port", "'port' must be from 1 to 65535");
                }

                if (!IsDatabaseName(request.Database))
                {
                    return AdminError.Invalid("invalid_database", "'database' is required for postgres_admin: 1 to 63 letters, digits, '_' or '-'");
                }

                if (!IsDatabaseName(request.AdminUser))
                {
                    return AdminError.Invalid("invalid_admin_user", "'adminUser' is required for postgres_admin: 1 to 63 letters, digits, '_' or '-'");
                }

                if (!GrantTemplate.TryValidate(request.Grants, out var problem))
                {
                    return AdminError.Invalid("invalid_grants", problem);
                }

                settings = new ConnectionSettings
                {
                    Host = request.Host,
                    Port = request.Port ?? 5432,
                    Database = request.Database,
                    AdminUser = request.AdminUser,
                    Grants = [.. request.Grants!.Select(g => new GrantRule(g.Schema, [.. g.Tables], [.. g.Privileges]))],
                    MaxLeaseDuration = maxLease,
                };
                return null;
        }
    }

    public static AdminError? Secret(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return AdminError.Invalid("missing_secret", "'secret' is required: the API key or token, the OAuth client secret, or the PostgreSQL admin password");
        }

        // Control characters would let a secret injected into a header split the request.
        if (System.Text.Encoding.UTF8.GetByteCount(secret) > ConnectionSecrets.MaxSecretBytes || secret.Any(char.IsControl))
        {
            return AdminError.Invalid("invalid_secret", $"'secret' must be at most {ConnectionSecrets.MaxSecretBytes} bytes without control characters");
        }

        return null;
    }

    private static AdminError? Unexpected(AddConnectionRequest request, ConnectionKind kind)
    {
        var present = new List<string>();
        if (kind != ConnectionKind.StaticSecret)
        {
            Add(present, request.HeaderName, "headerName");
            Add(present, request.Scheme, "scheme");
        }

        if (kind != ConnectionKind.OAuthClientCredentials)
        {
            Add(present, request.TokenEndpoint, "tokenEndpoint");
            Add(present, request.ClientId, "clientId");
            Add(present, request.Scopes, "scopes");
            Add(present, request.AuthMethod, "authMethod");
            Add(present, request.Audience, "audience");
        }

        if (kind != ConnectionKind.PostgresAdmin)
        {
            Add(present, request.Host, "host");
            Add(present, request.Port, "port");
            Add(present, request.Database, "database");
            Add(present, request.AdminUser, "adminUser");
            Add(present, request.Grants, "grants");
        }

        return present.Count == 0
            ? null
            : AdminError.Invalid("fields_not_for_kind", $"{string.Join(", ", present.Select(p => "'" + p + "'"))} do not apply to {ConnectionKinds.Of(kind)} connections");

        static void Add(List<string> list, object? value, string name)
        {
            if (value is not null)
            {
                list.Add(name);
            }
        }
    }

    private static AdminError? Metadata(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is not null && (metadata.Count > MaxMetadataEntries || metadata.Any(kv => kv.Key.Length is 0 or > 63 || kv.Value is null || kv.Value.Length > 256 || kv.Key.Any(char.IsControl) || kv.Value.Any(char.IsControl)))
            ? AdminError.Invalid("invalid_metadata", $"'metadata' holds at most {MaxMetadataEntries} string labels, names up to 63 and values up to 256 printable characters")
            : null;

    // RFC 9110 token: the characters of header names and auth schemes.
    private static bool IsToken(string? text, int maxLength) =>
        !string.IsNullOrEmpty(text) && text.Length <= maxLength && text.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal));

    private static bool IsScopeToken(string? text) =>
        !string.IsNullOrEmpty(text) && text.Length <= 128 && text.All(c => c is '\x21' or (>= '\x23' and <= '\x5B') or (>= '\x5D' and <= '\x7E'));

    private static bool IsHost(string? text) =>
        !string.IsNullOrEmpty(text) && text.Length <= 253 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':') && text[0] != '-';

    private static bool IsDatabaseName(string? text) =>
        !string.IsNullOrEmpty(text) && text.Length <= 63 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
