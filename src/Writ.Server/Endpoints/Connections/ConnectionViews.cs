using Writ.Core.Connections;

namespace Writ.Server.Endpoints.Connections;

/// <summary>What the API shows of a connection: never the secret, only that there is one and which KEK seals it.</summary>
internal static class ConnectionViews
{
    public static object Connection(Connection connection) => new
    {
        id = connection.Id,
        name = connection.Name,
        owner = connection.Owner,
        kind = ConnectionKinds.Of(connection.Kind),
        hasSecret = connection.Secret.Ciphertext.Length > 0,
        kekId = connection.Secret.KekId,
        createdAt = connection.CreatedAt,
        rotatedAt = connection.RotatedAt,
        headerName = connection.Settings.HeaderName,
        scheme = connection.Settings.Scheme,
        tokenEndpoint = connection.Settings.TokenEndpoint,
        clientId = connection.Settings.ClientId,
        scopes = connection.Settings.Scopes,
        authMethod = connection.Settings.AuthMethod,
        audience = connection.Settings.Audience,
        host = connection.Settings.Host,
        port = connection.Settings.Port,
        database = connection.Settings.Database,
        adminUser = connection.Settings.AdminUser,
        grants = connection.Settings.Grants?.Select(g => new { schema = g.Schema, tables = g.Tables, privileges = g.Privileges }),
        maxLeaseSeconds = connection.Settings.MaxLeaseDuration is { } max ? (long)max.TotalSeconds : (long?)null,
        metadata = connection.Metadata,
    };
}
