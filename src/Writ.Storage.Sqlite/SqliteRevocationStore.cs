using System.Globalization;
using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Storage.Sqlite;

internal sealed class SqliteRevocationStore(SqliteDatabase database) : IRevocationStore
{
    public async Task RevokeAsync(RevokedToken token, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "INSERT INTO revoked_tokens (jti, expires_at, revoked_at) VALUES (@jti, @expires, @revoked) ON CONFLICT (jti) DO NOTHING;",
            ("@jti", token.Jti),
            ("@expires", token.ExpiresAt.ToDb()),
            ("@revoked", token.RevokedAt.ToDb()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> IsRevokedAsync(string jti, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT COUNT(*) FROM revoked_tokens WHERE jti = @jti AND expires_at > @now;",
            ("@jti", jti),
            ("@now", now.ToDb()));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0;
    }

    public async Task<IReadOnlyList<RevokedToken>> ListActiveAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT jti, expires_at, revoked_at FROM revoked_tokens WHERE expires_at > @now ORDER BY revoked_at, jti;",
            ("@now", now.ToDb()));
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
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM revoked_tokens WHERE expires_at <= @now;", ("@now", now.ToDb()));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
