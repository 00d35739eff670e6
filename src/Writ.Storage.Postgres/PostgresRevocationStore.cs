using Npgsql;
using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Storage.Postgres;

internal sealed class PostgresRevocationStore(NpgsqlDataSource database) : IRevocationStore
{
    public async Task RevokeAsync(RevokedToken token, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            "INSERT INTO revoked_tokens (jti, expires_at, revoked_at) VALUES (@jti, @expires, @revoked) ON CONFLICT (jti) DO NOTHING;",
            ("@jti", token.Jti),
            ("@expires", token.ExpiresAt),
            ("@revoked", token.RevokedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> IsRevokedAsync(string jti, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT EXISTS (SELECT 1 FROM revoked_tokens WHERE jti = @jti AND expires_at > @now);",
            ("@jti", jti),
            ("@now", now));
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<RevokedToken>> ListActiveAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT jti, expires_at, revoked_at FROM revoked_tokens WHERE expires_at > @now ORDER BY revoked_at, jti;",
            ("@now", now));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tokens = new List<RevokedToken>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tokens.Add(new RevokedToken(reader.GetString(0), reader.GetTime(1), reader.GetTime(2)));
        }

        return tokens;
    }

    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM revoked_tokens WHERE expires_at <= @now;", ("@now", now));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
