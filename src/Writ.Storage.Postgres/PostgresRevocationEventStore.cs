using Npgsql;
using Writ.Core.Revocation;
using Writ.Core.Storage;

namespace Writ.Storage.Postgres;

internal sealed class PostgresRevocationEventStore(NpgsqlDataSource database) : IRevocationEventStore
{
    // Any fixed number: writers of the revocation log queue on it for the rest of their transaction.
    private const long AppendLock = 0x57_72_69_74_52_45_56;

    private const string StreamColumns =
        "id, audience, events_requested, delivery_method, endpoint_url, auth_sealed, status, status_reason, description, created_by, created_at, updated_at, cursor";

    public async Task<RevocationEvent> AppendAsync(RevocationEvent revocation, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Ids are drawn under the lock and the lock is held until commit, so events commit in id
        // order and a reader that saw id n never later finds a smaller id appear.
        await using (var lockCommand = connection.Command(transaction, "SELECT pg_advisory_xact_lock(@key);", ("@key", AppendLock)))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        long id;
        await using (var insert = connection.Command(
            transaction,
            "INSERT INTO revocation_events (at, kind, subject, expires_at, cause) VALUES (@at, @kind, @subject, @expires, @cause) RETURNING id;",
            ("@at", revocation.At),
            ("@kind", RevocationKindNames.Of(revocation.Kind)),
            ("@subject", revocation.Subject),
            ("@expires", revocation.ExpiresAt),
            ("@cause", revocation.Cause)))
        {
            id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        }

        await transaction.CommitAsync(cancellationToken);
        return revocation with { Id = id };
    }

    public async Task<IReadOnlyList<RevocationEvent>> ReadAfterAsync(long afterId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT id, at, kind, subject, expires_at, cause FROM revocation_events WHERE id > @after ORDER BY id LIMIT @limit;",
            ("@after", afterId),
            ("@limit", limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<RevocationEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (RevocationKindNames.TryParse(reader.GetString(2), out var kind))
            {
                events.Add(new RevocationEvent(reader.GetInt64(0), reader.GetTime(1), kind, reader.GetString(3), reader.GetTime(4), reader.GetNullableString(5)));
            }
        }

        return events;
    }

    public async Task<long> GetLatestIdAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command("SELECT coalesce(max(id), 0) FROM revocation_events;");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM revocation_events WHERE expires_at <= @now;", ("@now", now));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<StoreResult> AddStreamAsync(SignalStream stream, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            $"INSERT INTO signal_streams ({StreamColumns}) VALUES (@id, @aud, @events, @method, @url, @auth, @status, @reason, @description, @by, @created, @updated, @cursor);",
            StreamParameters(stream));
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return StoreResult.Success;
        }
        catch (PostgresException ex) when (ex.IsUniqueViolation())
        {
            return StoreResult.AlreadyExists;
        }
    }

    public async Task<SignalStream?> GetStreamAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {StreamColumns} FROM signal_streams WHERE id = @id;", ("@id", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadStream(reader) : null;
    }

    public async Task<IReadOnlyList<SignalStream>> ListStreamsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {StreamColumns} FROM signal_streams ORDER BY created_at, id;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var streams = new List<SignalStream>();
        while (await reader.ReadAsync(cancellationToken))
        {
            streams.Add(ReadStream(reader));
        }

        return streams;
    }

    public async Task<StoreResult<SignalStream>> UpdateStreamAsync(SignalStream stream, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            "UPDATE signal_streams SET audience = @aud, events_requested = @events, delivery_method = @method, endpoint_url = @url, auth_sealed = @auth, " +
            $"status = @status, status_reason = @reason, description = @description, updated_at = @updated WHERE id = @id RETURNING {StreamColumns};",
            StreamParameters(stream));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoreResult<SignalStream>(StoreOutcome.Success, ReadStream(reader))
            : new StoreResult<SignalStream>(StoreOutcome.NotFound, null);
    }

    public async Task<StoreResult> RemoveStreamAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM signal_streams WHERE id = @id;", ("@id", id));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1 ? StoreResult.Success : StoreResult.NotFound;
    }

    public async Task<bool> EnqueueAsync(string streamId, long expectedCursor, long newCursor, IReadOnlyList<QueuedSet> sets, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var move = connection.Command(
            transaction,
            "UPDATE signal_streams SET cursor = @new WHERE id = @id AND cursor = @expected;",
            ("@id", streamId),
            ("@expected", expectedCursor),
            ("@new", newCursor)))
        {
            if (await move.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                return false;
            }
        }

        foreach (var set in sets)
        {
            await using var insert = connection.Command(
                transaction,
                "INSERT INTO signal_queue (stream_id, jti, token, created_at) VALUES (@id, @jti, @token, @at) ON CONFLICT (stream_id, jti) DO NOTHING;",
                ("@id", streamId),
                ("@jti", set.Jti),
                ("@token", set.Token),
                ("@at", set.CreatedAt));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<QueuedSet>> PeekQueueAsync(string streamId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT jti, token, created_at FROM signal_queue WHERE stream_id = @id ORDER BY seq LIMIT @limit;",
            ("@id", streamId),
            ("@limit", limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var sets = new List<QueuedSet>();
        while (await reader.ReadAsync(cancellationToken))
        {
            sets.Add(new QueuedSet(reader.GetString(0), reader.GetString(1), reader.GetTime(2)));
        }

        return sets;
    }

    public async Task<int> AcknowledgeAsync(string streamId, IReadOnlyCollection<string> jtis, CancellationToken cancellationToken)
    {
        if (jtis.Count == 0)
        {
            return 0;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            "DELETE FROM signal_queue WHERE stream_id = @id AND jti = ANY(@jtis);",
            ("@id", streamId),
            ("@jtis", jtis.ToArray()));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static (string, object?)[] StreamParameters(SignalStream stream) =>
    [
        ("@id", stream.Id),
        ("@aud", stream.Audience),
        ("@events", new JsonText(System.Text.Json.JsonSerializer.Serialize(stream.EventsRequested))),
        ("@method", stream.DeliveryMethod),
        ("@url", stream.EndpointUrl),
        ("@auth", stream.ProtectedAuthorization),
        ("@status", stream.Status),
        ("@reason", stream.StatusReason),
        ("@description", stream.Description),
        ("@by", stream.CreatedBy),
        ("@created", stream.CreatedAt),
        ("@updated", stream.UpdatedAt),
        ("@cursor", stream.Cursor),
    ];

    private static SignalStream ReadStream(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        System.Text.Json.JsonSerializer.Deserialize<string[]>(reader.GetString(2)) ?? [],
        reader.GetString(3),
        reader.GetNullableString(4),
        reader.IsDBNull(5) ? null : reader.GetFieldValue<byte[]>(5),
        reader.GetString(6),
        reader.GetNullableString(7),
        reader.GetNullableString(8),
        reader.GetString(9),
        reader.GetTime(10),
        reader.GetTime(11),
        reader.GetInt64(12));
}
