using Npgsql;
using Writ.Core.Storage;
using Writ.Storage.Postgres;
using Writ.Storage.Tests.Keys;
using Writ.Testing.Postgres;

namespace Writ.Storage.Tests.Postgres;

/// <summary>The key ring on a real PostgreSQL server, each test on a fresh database.</summary>
public sealed class PostgresKeyRingTests(SharedPostgresCluster cluster) : KeyRingTests
{
    private string _database = null!;
    private string _connectionString = null!;

    protected override async Task<IWritStore> CreateStoreAsync()
    {
        (_database, _connectionString) = await cluster.CreateDatabaseAsync(Ct);
        return new PostgresWritStore(_connectionString);
    }

    protected override Task DeleteStoreAsync() => cluster.DropDatabaseAsync(_database, CancellationToken.None);

    protected override async Task<IReadOnlyList<string>> StoredFilesAsync()
    {
        // A checkpoint writes every changed page to the data files (the WAL holds them already).
        await ExecuteAsync("CHECKPOINT;", string.Empty);
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("SELECT oid FROM pg_database WHERE datname = current_database();", connection);
        var oid = (uint)(await command.ExecuteScalarAsync(Ct))!;
        var data = (await cluster.GetAsync()).DataDirectory;
        return
        [
            .. Directory.GetFiles(Path.Combine(data, "base", oid.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            .. Directory.GetFiles(Path.Combine(data, "pg_wal")),
        ];
    }

    protected override async Task ExecuteAsync(string sql, string kid)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("kid", kid);
        await command.ExecuteNonQueryAsync(Ct);
    }

    protected override Task ZeroPrivateKeyAsync(string kid) =>
        ExecuteAsync("UPDATE signing_keys SET protected_private_key = decode(repeat('00', length(protected_private_key)), 'hex') WHERE kid = @kid;", kid);

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_connectionString + ";Pooling=false");
        await connection.OpenAsync(Ct);
        return connection;
    }
}
