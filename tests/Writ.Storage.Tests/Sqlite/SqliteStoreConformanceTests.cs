using Microsoft.Data.Sqlite;
using Writ.Core.Storage;
using Writ.Storage.Sqlite;
using Writ.Storage.Tests.Conformance;

namespace Writ.Storage.Tests.Sqlite;

/// <summary>The conformance suite on a real SQLite file in a fresh temporary directory.</summary>
public sealed class SqliteStoreConformanceTests : StoreConformanceTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "writ-store-" + Guid.NewGuid().ToString("N"));

    protected override int SupportedSchemaVersion => SqliteWritStore.SupportedSchemaVersion;

    protected override Task<IWritStore> CreateStoreAsync() =>
        Task.FromResult<IWritStore>(SqliteWritStore.ForDataDirectory(_directory));

    protected override Task<IWritStore> OpenSameDatabaseAsync() =>
        Task.FromResult<IWritStore>(new SqliteWritStore(Path.Combine(_directory, SqliteWritStore.DatabaseFileName)));

    protected override async Task ForceSchemaVersionAsync(int version)
    {
        // A separate, unpooled connection, as another writ binary would use.
        var builder = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, SqliteWritStore.DatabaseFileName), Pooling = false };
        await using var connection = new SqliteConnection(builder.ToString());
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES ($version, 0);";
        command.Parameters.AddWithValue("$version", version);
        await command.ExecuteNonQueryAsync(Ct);
    }

    protected override Task DisposeDatabaseAsync()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return Task.CompletedTask;
    }
}
