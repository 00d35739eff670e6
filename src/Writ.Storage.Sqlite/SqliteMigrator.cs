using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Writ.Core.Storage;

namespace Writ.Storage.Sqlite;

/// <summary>
/// Applies the embedded <c>Migrations/NNNN_name.sql</c> scripts in order, inside one write
/// transaction, recording each in <c>schema_version</c>.
/// </summary>
internal static partial class SqliteMigrator
{
    private static readonly Lazy<List<Migration>> Embedded = new(LoadEmbedded);

    public static IReadOnlyList<Migration> Migrations => Embedded.Value;

    public static int LatestVersion => Migrations[^1].Version;

    public static async Task MigrateAsync(SqliteDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);

        // WAL lets readers proceed while one writer commits; the mode is stored in the file.
        await using (var wal = connection.Command("PRAGMA journal_mode = WAL;"))
        {
            await wal.ExecuteScalarAsync(cancellationToken);
        }

        await using (var create = connection.Command(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL);"))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var current = await GetVersionAsync(connection, transaction, cancellationToken);
        if (current > LatestVersion)
        {
            throw new SchemaVersionTooNewException(current, LatestVersion);
        }

        foreach (var migration in Migrations.Where(m => m.Version > current))
        {
            await using (var script = connection.Command(transaction, migration.Sql))
            {
                await script.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var record = connection.Command(
                transaction,
                "INSERT INTO schema_version (version, applied_at) VALUES (@version, @at);",
                ("@version", migration.Version),
                ("@at", DateTimeOffset.UtcNow.ToDb()));
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public static async Task<int> GetVersionAsync(SqliteDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var exists = connection.Command("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version';");
        if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 0)
        {
            return 0;
        }

        await using var query = connection.Command("SELECT COALESCE(MAX(version), 0) FROM schema_version;");
        return Convert.ToInt32(await query.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task<int> GetVersionAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var query = connection.Command(transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_version;");
        return Convert.ToInt32(await query.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static List<Migration> LoadEmbedded()
    {
        var assembly = typeof(SqliteMigrator).Assembly;
        var migrations = new List<Migration>();
        foreach (var name in assembly.GetManifestResourceNames())
        {
            var match = ScriptName().Match(name);
            if (!match.Success)
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), name, reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"embedded migrations must be numbered 1..N without gaps; found {migrations[i].Name}");
            }
        }

        return migrations;
    }

    [GeneratedRegex(@"\.Migrations\.(\d{4})_[A-Za-z0-9_]+\.sql$")]
    private static partial Regex ScriptName();

    internal sealed record Migration(int Version, string Name, string Sql);
}
