using Microsoft.Data.Sqlite;
using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Storage.Sqlite;

internal sealed class SqliteJoinTokenStore(SqliteDatabase database) : IJoinTokenStore
{
    private const string Columns = "id, agent, secret_hash, created_at, expires_at, consumed_at, created_by";

    public async Task<StoreResult> AddAsync(JoinToken token, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"INSERT INTO join_tokens ({Columns}) VALUES (@id, @agent, @hash, @created, @expires, @consumed, @by);",
            ("@id", token.Id),
            ("@agent", token.Agent),
            ("@hash", token.SecretHash),
            ("@created", token.CreatedAt.ToDb()),
            ("@expires", token.ExpiresAt.ToDb()),
            ("@consumed", token.ConsumedAt.ToDb()),
            ("@by", token.CreatedBy));
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return StoreResult.Success;
        }
        catch (SqliteException ex) when (ex.IsUniqueViolation())
        {
            return StoreResult.AlreadyExists;
        }
        catch (SqliteException ex) when (ex.IsForeignKeyViolation())
        {
            return StoreResult.ReferenceNotFound;
        }
    }

    public async Task<JoinToken?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await QuerySingleAsync(connection, $"SELECT {Columns} FROM join_tokens WHERE id = @value;", id, cancellationToken);
    }

    public async Task<JoinTokenConsumeResult> TryConsumeAsync(string secretHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);

        // One conditional UPDATE: the database serializes writers, so exactly one caller sees the
        // row while consumed_at is still NULL, whichever process it runs in.
        var consumed = await QuerySingleAsync(
            connection,
            $"UPDATE join_tokens SET consumed_at = @now WHERE secret_hash = @value AND consumed_at IS NULL AND expires_at > @now RETURNING {Columns};",
            secretHash,
            cancellationToken,
            now);
        if (consumed is not null)
        {
            return new JoinTokenConsumeResult(JoinTokenConsumeOutcome.Consumed, consumed);
        }

        var existing = await QuerySingleAsync(connection, $"SELECT {Columns} FROM join_tokens WHERE secret_hash = @value;", secretHash, cancellationToken);
        var outcome = existing is null ? JoinTokenConsumeOutcome.NotFound
            : existing.ConsumedAt is not null ? JoinTokenConsumeOutcome.AlreadyConsumed
            : JoinTokenConsumeOutcome.Expired;
        return new JoinTokenConsumeResult(outcome, existing);
    }

    public async Task<int> PurgeExpiredAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM join_tokens WHERE expires_at < @before;", ("@before", before.ToDb()));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<JoinToken?> QuerySingleAsync(SqliteConnection connection, string sql, string value, CancellationToken cancellationToken, DateTimeOffset? now = null)
    {
        await using var command = connection.Command(sql, ("@value", value), ("@now", now.ToDb()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new JoinToken(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetTime(3),
            reader.GetTime(4),
            reader.GetNullableTime(5),
            reader.GetNullableString(6));
    }
}
