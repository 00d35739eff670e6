using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using Writ.Core.Storage;

namespace Writ.Storage.Postgres;

/// <summary>
/// Applies the embedded <c>Migrations/NNNN_name.sql</c> scripts in order, in one transaction that
/// holds a transaction-scoped advisory lock: when several processes start at once, one migrates
/// and the others wait for it, then find the schema current.
/// </summary>
internal static partial class PostgresMigrator
{
    /// <summary>The advisory lock key every writ process takes to migrate ("WRIT" in ASCII).</summary>
    public const long LockKey = 0x5752_4954;

    private static readonly Lazy<List<Migration>> Embedded = new(LoadEmbedded);

    public static IReadOnlyList<Migration> Migrations => Embedded.Value;

    public static int LatestVersion => Migrations[^1].Version;

    public static async Task MigrateAsync(NpgsqlDataSource database, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Advisory locks are per database, so writ deployments sharing a cluster do not wait on each
        // other; the lock is released with the transaction, also when the process dies.
        await using (var lockCommand = connection.Command(transaction, "SELECT pg_advisory_xact_lock(@key);", ("@key", LockKey)))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var create = connection.Command(
            transaction,
            "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL);"))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        int current;
        await using (var query = connection.Command(transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_version;"))
        {
            current = Convert.ToInt32(await query.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

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
                ("@at", time.GetUtcNow()));
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public static async Task<int> GetVersionAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var exists = connection.Command("SELECT to_regclass('schema_version') IS NOT NULL;");
        if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
        {
            return 0;
        }

        await using var query = connection.Command("SELECT COALESCE(MAX(version), 0) FROM schema_version;");
        return Convert.ToInt32(await query.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static List<Migration> LoadEmbedded()
    {
        var assembly = typeof(PostgresMigrator).Assembly;
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
