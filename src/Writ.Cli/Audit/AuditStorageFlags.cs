using Writ.Core.Storage;
using Writ.Storage.Postgres;
using Writ.Storage.Sqlite;

namespace Writ.Cli.Audit;

// Where `writ audit verify` reads the log: the same --data / --storage / --connection flags and
// WRIT_* variables as `writ server`, resolved without starting one.
internal sealed record AuditStorageFlags(string? Data, string? Storage, string? Connection)
{
    public const string DataVariable = "WRIT_DATA";
    public const string ProviderVariable = "WRIT_STORAGE__PROVIDER";
    public const string ConnectionVariable = "WRIT_STORAGE__CONNECTION_STRING";

    public async Task<IWritStore> OpenAsync(CliContext context, CancellationToken cancellationToken)
    {
        var provider = (Storage ?? context.GetEnvironmentVariable(ProviderVariable))?.Trim().ToUpperInvariant();
        var connection = Connection ?? context.GetEnvironmentVariable(ConnectionVariable);
        if (Connection is not null && string.IsNullOrWhiteSpace(Connection))
        {
            throw new CliException("--connection is empty: give a PostgreSQL connection string, e.g. \"Host=db;Database=writ;Username=writ\".", ExitCodes.Usage);
        }

        // No message quotes the connection string: it may hold a password.
        switch (provider)
        {
            case null or "" or "SQLITE":
                if (!string.IsNullOrWhiteSpace(Connection))
                {
                    throw new CliException("--connection is for PostgreSQL: add --storage postgres, or remove it to read the SQLite store in --data.", ExitCodes.Usage);
                }

                return await OpenSqliteAsync(context, cancellationToken);
            case "POSTGRES" or "POSTGRESQL":
                if (string.IsNullOrWhiteSpace(connection))
                {
                    throw new CliException($"--storage postgres needs a connection string: --connection or {ConnectionVariable}.", ExitCodes.Usage);
                }

                if (!PostgresWritStore.IsValidConnectionString(connection, out var problem))
                {
                    throw new CliException($"Invalid connection string: {problem}.", ExitCodes.Usage);
                }

                var postgres = new PostgresWritStore(connection);
                return await CheckSchemaAsync(postgres, postgres.GetSchemaVersionAsync, "the PostgreSQL database", cancellationToken);
            default:
                throw new CliException($"Unknown --storage '{Storage ?? provider}': use sqlite or postgres.", ExitCodes.Usage);
        }
    }

    private async Task<IWritStore> OpenSqliteAsync(CliContext context, CancellationToken cancellationToken)
    {
        var directory = Path.GetFullPath(Data ?? context.GetEnvironmentVariable(DataVariable) ?? ".writ", context.WorkingDirectory);
        var file = Path.Combine(directory, SqliteWritStore.DatabaseFileName);

        // Verification only reads: a missing database is an error, never a new empty log.
        if (!File.Exists(file))
        {
            throw new CliException($"No Writ database in {directory} (expected {SqliteWritStore.DatabaseFileName}); pass the data directory of `writ dev` or `writ server` with --data.", ExitCodes.Error);
        }

        var sqlite = new SqliteWritStore(file);
        return await CheckSchemaAsync(sqlite, sqlite.GetSchemaVersionAsync, directory, cancellationToken);
    }

    private static async Task<IWritStore> CheckSchemaAsync(IWritStore store, Func<CancellationToken, Task<int>> schemaVersion, string where, CancellationToken cancellationToken)
    {
        try
        {
            if (await schemaVersion(cancellationToken) == 0)
            {
                throw new CliException($"{where} holds no Writ schema; start `writ server` on it once.", ExitCodes.Error);
            }

            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }
}
