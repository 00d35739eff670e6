using Microsoft.Data.Sqlite;
using Writ.Storage.Sqlite;

namespace Writ.Storage.Tests.Sqlite;

/// <summary>What is specific to the SQLite provider: file layout, pragmas and migrations.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "writ-sqlite-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DataDirectory_IsCreatedOwnerOnly_WithWritDb()
    {
        await using var store = SqliteWritStore.ForDataDirectory(_directory);
        await store.MigrateAsync(Ct);

        Assert.Equal(Path.Combine(_directory, "writ.db"), store.DatabasePath);
        Assert.True(File.Exists(store.DatabasePath));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory));
        }
    }

    [Fact]
    public async Task Migration_EnablesWal_AndRecordsEveryVersion()
    {
        await using var store = SqliteWritStore.ForDataDirectory(_directory);
        Assert.Equal(0, await store.GetSchemaVersionAsync(Ct));

        await store.MigrateAsync(Ct);

        Assert.Equal(SqliteWritStore.SupportedSchemaVersion, await store.GetSchemaVersionAsync(Ct));
        Assert.Equal("wal", await ScalarAsync(store.DatabasePath, "PRAGMA journal_mode;"));
        Assert.Equal((long)SqliteWritStore.SupportedSchemaVersion, await ScalarAsync(store.DatabasePath, "SELECT COUNT(*) FROM schema_version;"));
    }

    [Fact]
    public void EmbeddedMigrations_AreNumberedFromOneWithoutGaps()
    {
        var versions = SqliteMigrator.Migrations.Select(m => m.Version).ToList();

        Assert.Equal(Enumerable.Range(1, versions.Count), versions);
    }

    [Fact]
    public async Task ConcurrentFirstMigrations_BothSucceed()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, SqliteWritStore.DatabaseFileName);
        await using var one = new SqliteWritStore(path);
        await using var two = new SqliteWritStore(path);

        await Task.WhenAll(Task.Run(() => one.MigrateAsync(Ct), Ct), Task.Run(() => two.MigrateAsync(Ct), Ct));

        Assert.Equal(SqliteWritStore.SupportedSchemaVersion, await one.GetSchemaVersionAsync(Ct));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static async Task<object?> ScalarAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(Ct);
    }
}
