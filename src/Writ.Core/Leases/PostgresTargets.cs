using System.Security.Cryptography;
using System.Text;
using Writ.Core.Connections;

namespace Writ.Core.Leases;

/// <summary>Opens a postgres_admin connection into the target the provisioner needs.</summary>
internal static class PostgresTargets
{
    public static PostgresTarget? TryOpen(Connection connection, ConnectionSecrets secrets)
    {
        if (connection.Kind != ConnectionKind.PostgresAdmin || connection.Settings is not { Host: { } host, Database: { } database, AdminUser: { } user })
        {
            return null;
        }

        var bytes = secrets.TryOpen(connection.Id, connection.Secret);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return new PostgresTarget(host, connection.Settings.Port ?? 5432, database, user, Encoding.UTF8.GetString(bytes));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
