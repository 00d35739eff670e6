using Writ.Core.Storage;

namespace Writ.Storage.Sqlite;

internal sealed class SqliteReplayCache(SqliteDatabase database) : IReplayCache
{
    public async Task<bool> TryRecordAsync(string scope, string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);

        // The primary key makes the insert the atomic "first one wins" test.
        await using var command = connection.Command(
            "INSERT INTO replay_cache (scope, jti, expires_at) VALUES (@scope, @jti, @expires) ON CONFLICT (scope, jti) DO NOTHING;",
            ("@scope", scope),
            ("@jti", jti),
            ("@expires", expiresAt.ToDb()));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM replay_cache WHERE expires_at <= @now;", ("@now", now.ToDb()));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
