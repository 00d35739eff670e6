using Npgsql;
using Writ.Core.Storage;
using Writ.Storage.Postgres;
using Writ.Storage.Tests.Conformance;
using Writ.Testing.Postgres;

namespace Writ.Storage.Tests.Postgres;

/// <summary>The conformance suite on a real PostgreSQL server, each test on a fresh database.</summary>
public sealed class PostgresStoreConformanceTests(SharedPostgresCluster cluster) : StoreConformanceTests
{
    private string? _database;
    private string? _connectionString;

    protected override int SupportedSchemaVersion => PostgresWritStore.SupportedSchemaVersion;

    protected override async Task<IWritStore> CreateStoreAsync()
    {
        (_database, _connectionString) = await cluster.CreateDatabaseAsync(Ct);
        return new PostgresWritStore(_connectionString);
    }

    // A new store has its own NpgsqlDataSource, so its own pool of connections, as another process would.
    protected override Task<IWritStore> OpenSameDatabaseAsync() =>
        Task.FromResult<IWritStore>(new PostgresWritStore(_connectionString!));

    protected override async Task ForceSchemaVersionAsync(int version)
    {
        await using var connection = new NpgsqlConnection(_connectionString + ";Pooling=false");
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("INSERT INTO schema_version (version, applied_at) VALUES (@version, now());", connection);
        command.Parameters.AddWithValue("version", version);
        await command.ExecuteNonQueryAsync(Ct);
    }

    protected override async Task DisposeDatabaseAsync()
    {
        if (_database is not null)
        {
            await cluster.DropDatabaseAsync(_database, CancellationToken.None);
        }
    }
}
