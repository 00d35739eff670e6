using Microsoft.Data.Sqlite;
using Writ.Core.Storage;
using Writ.Storage.Sqlite;

namespace Writ.Storage.Tests.Keys;

/// <summary>The key ring on a real SQLite file in a fresh temporary directory.</summary>
public sealed class SqliteKeyRingTests : KeyRingTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "writ-keyring-" + Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_directory, SqliteWritStore.DatabaseFileName);

    protected override Task<IWritStore> CreateStoreAsync() =>
        Task.FromResult<IWritStore>(SqliteWritStore.ForDataDirectory(_directory));

    protected override Task DeleteStoreAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    protected override Task<IReadOnlyList<string>> StoredFilesAsync() =>
        Task.FromResult<IReadOnlyList<string>>(Directory.GetFiles(_directory, "writ.db*"));

    protected override async Task ExecuteAsync(string sql, string kid)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@kid", kid);
        await command.ExecuteNonQueryAsync(Ct);
    }

    protected override Task ZeroPrivateKeyAsync(string kid) =>
        ExecuteAsync("UPDATE signing_keys SET protected_private_key = zeroblob(length(protected_private_key)) WHERE kid = @kid;", kid);
}
