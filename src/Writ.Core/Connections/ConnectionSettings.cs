using System.Text.Json;
using System.Text.Json.Serialization;

namespace Writ.Core.Connections;

/// <summary>
/// The non-secret fields of a connection; which ones are set depends on its <see cref="ConnectionKind"/>.
/// Stored as JSON next to the sealed secret and safe to show.
/// </summary>
public sealed record ConnectionSettings
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Static secret: the request header the secret goes into (e.g. <c>Authorization</c>, <c>X-Api-Key</c>).</summary>
    public string? HeaderName { get; init; }

    /// <summary>Static secret: the scheme written before the secret (e.g. <c>Bearer</c>); null writes the secret alone.</summary>
    public string? Scheme { get; init; }

    /// <summary>OAuth: the upstream token endpoint (https, or http on loopback).</summary>
    public string? TokenEndpoint { get; init; }

    /// <summary>OAuth: the client id at the upstream authorization server.</summary>
    public string? ClientId { get; init; }

    /// <summary>OAuth: scopes to request.</summary>
    public IReadOnlyList<string>? Scopes { get; init; }

    /// <summary>OAuth: <c>client_secret_basic</c> or <c>client_secret_post</c>.</summary>
    public string? AuthMethod { get; init; }

    /// <summary>OAuth: the <c>audience</c> parameter sent with each token request; null sends none.</summary>
    public string? Audience { get; init; }

    /// <summary>PostgreSQL: the server host.</summary>
    public string? Host { get; init; }

    /// <summary>PostgreSQL: the server port.</summary>
    public int? Port { get; init; }

    /// <summary>PostgreSQL: the database dynamic roles connect to.</summary>
    public string? Database { get; init; }

    /// <summary>PostgreSQL: the admin user that creates and drops dynamic roles.</summary>
    public string? AdminUser { get; init; }

    /// <summary>PostgreSQL: what a dynamic role is granted.</summary>
    public IReadOnlyList<GrantRule>? Grants { get; init; }

    /// <summary>The longest a lease from this connection may last, renewals included.</summary>
    public TimeSpan? MaxLeaseDuration { get; init; }

    /// <summary>The JSON form stored by the providers.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads what <see cref="ToJson"/> wrote.</summary>
    public static ConnectionSettings FromJson(string json) =>
        JsonSerializer.Deserialize<ConnectionSettings>(json, Json) ?? throw new JsonException("connection settings are null");

    /// <inheritdoc />
    public bool Equals(ConnectionSettings? other) => other is not null && ToJson() == other.ToJson();

    /// <inheritdoc />
    public override int GetHashCode() => ToJson().GetHashCode(StringComparison.Ordinal);
}
