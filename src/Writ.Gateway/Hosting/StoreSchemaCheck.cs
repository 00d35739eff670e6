using Writ.Core.Storage;
using Writ.Gateway.Configuration;
using Writ.Storage.Postgres;
using Writ.Storage.Sqlite;

namespace Writ.Gateway.Hosting;

/// <summary>
/// The gateway reads and writes the store <c>writ server</c> migrates, but never migrates it itself: before it serves,
/// the store must exist and hold exactly the schema this binary knows.
/// </summary>
internal static class StoreSchemaCheck
{
    /// <summary>Whether the SQLite database exists, checked before anything opens (and so creates) it.</summary>
    public static void EnsureExists(StorageSettings storage)
    {
        if (storage.Postgres)
        {
            return;
        }

        var file = Path.Combine(storage.DataDirectory!, SqliteWritStore.DatabaseFileName);
        if (!File.Exists(file))
        {
            throw new GatewayStoreException(
                $"no Writ database in {storage.DataDirectory} (expected {SqliteWritStore.DatabaseFileName}); point storage.dataDirectory at the data directory of `writ server` or `writ dev`, and start that once so it creates the store");
        }
    }

    /// <summary>Throws <see cref="GatewayStoreException"/> unless the store holds this binary's schema.</summary>
    public static async Task EnsureCurrentAsync(IWritStore store, CancellationToken cancellationToken)
    {
        var (version, supported, where) = store switch
        {
            SqliteWritStore sqlite => (await sqlite.GetSchemaVersionAsync(cancellationToken), SqliteWritStore.SupportedSchemaVersion, sqlite.DatabasePath),
            PostgresWritStore postgres => (await postgres.GetSchemaVersionAsync(cancellationToken), PostgresWritStore.SupportedSchemaVersion, "the PostgreSQL database"),
            _ => throw new GatewayStoreException("the gateway's store is of an unknown kind"),
        };
        if (version > supported)
        {
            // The same words `writ server` refuses a newer schema with.
            var newer = new SchemaVersionTooNewException(version, supported);
            throw new GatewayStoreException(newer.Message, newer);
        }

        if (version == 0)
        {
            throw new GatewayStoreException($"{where} holds no Writ schema; start `writ server` (or `writ dev`) on it once so it is migrated");
        }

        if (version < supported)
        {
            throw new GatewayStoreException(
                $"database schema version {version} is older than this writ binary needs ({supported}); start `writ server` of the same version on it once so it is migrated, then the gateway");
        }
    }
}
