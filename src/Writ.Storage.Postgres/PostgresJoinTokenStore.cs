using Npgsql;
using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Storage.Postgres;

internal sealed class PostgresJoinTokenStore(NpgsqlDataSource database) : IJoinTokenStore
{
    private const string Columns = "id, agent, secret_hash, created_at, expires_at, consumed_at, created_by";

    public async Task<StoreResult> AddAsync(JoinToken token, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            $"INSERT INTO join_tokens ({Columns}) VALUES (@id, @agent, @hash, @created, @expires, @consumed, @by);",
            ("@id", token.Id),
            ("@agent", token.Agent),
            ("@hash", token.SecretHash),
            ("@created", token.CreatedAt),
            ("@expires", token.ExpiresAt),
            ("@consumed", token.ConsumedAt),
            ("@by", token.CreatedBy));
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return StoreResult.Success;
        }
        catch (PostgresException ex) when (ex.IsUniqueViolation())
        {
            return StoreResult.AlreadyExists;
        }
        catch (PostgresException ex) when (ex.IsForeignKeyViolation())
        {
            return StoreResult.ReferenceNotFound;
        }
    }

    public async Task<JoinToken?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM join_tokens WHERE id = @value;", ("@value", id));
        return await ReadSingleAsync(command, cancellationToken);
    }

    public async Task<JoinTokenConsumeResult> TryConsumeAsync(string secretHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);

        // One conditional UPDATE: a concurrent consumer blocks on the row lock and, once the winner
        // commits, re-checks the WHERE clause against the committed row (consumed_at is no longer
        // NULL), so exactly one caller in any process gets the row back.
        await using (var consume = connection.Command(
            $"UPDATE join_tokens SET consumed_at = @now WHERE secret_hash = @value AND consumed_at IS NULL AND expires_at > @now RETURNING {Columns};",
            ("@value", secretHash),
            ("@now", now)))
        {
            if (await ReadSingleAsync(consume, cancellationToken) is { } consumed)
            {
                return new JoinTokenConsumeResult(JoinTokenConsumeOutcome.Consumed, consumed);
            }
        }

        await using var lookup = connection.Command($"SELECT {Columns} FROM join_tokens WHERE secret_hash = @value;", ("@value", secretHash));
        var existing = await ReadSingleAsync(lookup, cancellationToken);
        var outcome = existing is null ? JoinTokenConsumeOutcome.NotFound
            : existing.ConsumedAt is not null ? JoinTokenConsumeOutcome.AlreadyConsumed
            : JoinTokenConsumeOutcome.Expired;
        return new JoinTokenConsumeResult(outcome, existing);
    }

    public async Task<int> PurgeExpiredAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM join_tokens WHERE expires_at < @before;", ("@before", before));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<JoinToken?> ReadSingleAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
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
