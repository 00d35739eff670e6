using Npgsql;
using Writ.Core.Storage;

namespace Writ.Storage.Postgres;

internal sealed class PostgresReplayCache(NpgsqlDataSource database) : IReplayCache
{
    public async Task<bool> TryRecordAsync(string scope, string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);

        // The primary key makes the insert the atomic "first one wins" test: a concurrent insert of
        // the same pair waits for the first to commit and then inserts nothing.
        await using var command = connection.Command(
            "INSERT INTO replay_cache (scope, jti, expires_at) VALUES (@scope, @jti, @expires) ON CONFLICT (scope, jti) DO NOTHING;",
            ("@scope", scope),
            ("@jti", jti),
            ("@expires", expiresAt));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM replay_cache WHERE expires_at <= @now;", ("@now", now));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
