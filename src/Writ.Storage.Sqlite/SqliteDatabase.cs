using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Writ.Storage.Sqlite;

/// <summary>Opens connections to one database file with the settings every connection needs.</summary>
internal sealed class SqliteDatabase
{
    /// <summary>How long a statement waits for another writer before failing, in milliseconds.</summary>
    public const int BusyTimeoutMilliseconds = 30_000;

    private static readonly object Configured = new();

    private readonly ConditionalWeakTable<sqlite3, object> _configured = [];

    public SqliteDatabase(string path)
    {
        Path = path;
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString();
    }

    public string Path { get; }

    public string ConnectionString { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);

            // Pooling hands back the same native connection, whose settings persist; set them once per
            // native connection, not on every open of the hot paths.
            var handle = connection.Handle!;
            if (!_configured.TryGetValue(handle, out _))
            {
                // Foreign keys are off by default in SQLite; the busy timeout makes concurrent writers
                // (other processes included) wait instead of failing at once; in WAL mode
                // synchronous=NORMAL syncs at checkpoints instead of every commit, which keeps every
                // commit across a process crash and may lose only the last ones on power loss.
                using var command = connection.CreateCommand();
                command.CommandText = $"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA synchronous = NORMAL;";
                await command.ExecuteNonQueryAsync(cancellationToken);
                _configured.AddOrUpdate(handle, Configured);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public void ReleaseConnections()
    {
        using var connection = new SqliteConnection(ConnectionString);
        SqliteConnection.ClearPool(connection);
    }
}
