using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using Writ.Core.Audit;
using Writ.Core.Storage;

namespace Writ.Storage.Postgres;

/// <summary>
/// The audit log on PostgreSQL. An append locks the single head row (<c>SELECT ... FOR UPDATE</c>)
/// and reads it in the same statement, so every writ process sharing the database appends in turn
/// and numbers its batch from the head it holds; <c>synchronous_commit</c> is forced on for the
/// transaction whatever the server's default.
/// </summary>
internal sealed class PostgresAuditStore(NpgsqlDataSource database) : IAuditStore
{
    private const string RecordColumns = "seq, at, type, agent, owner, task_id, decision, actor, canonical, leaf_hash";

    public Task<AuditHead> AppendAsync(Func<AuditHead, AuditBatch> build, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(build);
        return AppendAsync([], (head, _) => build(head), cancellationToken);
    }

    public async Task<AuditHead> AppendAsync(IReadOnlyList<ReplayClaim> claims, Func<AuditHead, IReadOnlyList<bool>, AuditBatch> build, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(build);

        // Only taking the lock is retried on a broken session: nothing was written yet. Once the
        // inserts are sent, a failure is reported, never repeated, so a batch cannot land twice.
        var (connection, transaction, head) = await BrokenConnectionRetry.RunAsync(() => BeginAppendAsync(cancellationToken));
        await using (connection)
        await using (transaction)
        {
            var claimed = await ClaimAsync(connection, transaction, claims, cancellationToken);
            var batch = build(head, claimed);
            batch.CheckContinues(head);
            var newSize = batch.NewSize(head);
            await using var writes = new NpgsqlBatch(connection, transaction);
            foreach (var record in batch.Records)
            {
                var insert = new NpgsqlBatchCommand($"INSERT INTO audit_record ({RecordColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10);");
                insert.Parameters.Add(new NpgsqlParameter { Value = record.Sequence, NpgsqlDbType = NpgsqlDbType.Bigint });
                insert.Parameters.Add(new NpgsqlParameter { Value = record.Time.ToDb(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
                insert.Parameters.Add(Text(record.Type));
                insert.Parameters.Add(Text(record.Agent));
                insert.Parameters.Add(Text(record.Owner));
                insert.Parameters.Add(Text(record.TaskId));
                insert.Parameters.Add(Text(record.Decision));
                insert.Parameters.Add(Text(record.Actor));
                insert.Parameters.Add(new NpgsqlParameter { Value = record.Canonical, NpgsqlDbType = NpgsqlDbType.Bytea });
                insert.Parameters.Add(new NpgsqlParameter { Value = record.LeafHash, NpgsqlDbType = NpgsqlDbType.Bytea });
                writes.BatchCommands.Add(insert);
            }

            var update = new NpgsqlBatchCommand("UPDATE audit_head SET tree_size = $1, frontier = $2 WHERE id = 1;");
            update.Parameters.Add(new NpgsqlParameter { Value = newSize, NpgsqlDbType = NpgsqlDbType.Bigint });
            update.Parameters.Add(new NpgsqlParameter { Value = batch.Frontier, NpgsqlDbType = NpgsqlDbType.Bytea });
            writes.BatchCommands.Add(update);
            if (batch.Checkpoint is { } checkpoint)
            {
                writes.BatchCommands.Add(CheckpointInsert(checkpoint));
            }

            await writes.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return head with { TreeSize = newSize, Frontier = batch.Frontier };
        }
    }

    public async Task<AuditHead> GetHeadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command("SELECT tree_size, frontier, pruned_before, pruned_frontier FROM audit_head WHERE id = 1;");
        return await ReadHeadAsync(command, cancellationToken);
    }

    public async Task<StoredAuditRecord?> GetAsync(long sequence, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {RecordColumns} FROM audit_record WHERE seq = @seq;", ("@seq", sequence));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRecord(reader) : null;
    }

    public async IAsyncEnumerable<StoredAuditRecord> ReadAsync(long from, long toExclusive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            $"SELECT {RecordColumns} FROM audit_record WHERE seq >= @from AND seq < @to ORDER BY seq;",
            ("@from", from),
            ("@to", toExclusive));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadRecord(reader);
        }
    }

    public async Task<IReadOnlyList<StoredAuditRecord>> SearchAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, AuditQuery.MaxLimit);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(string.Empty);
        var sql = new StringBuilder($"SELECT {RecordColumns} FROM audit_record WHERE true");
        Filter(command, sql, "agent", query.Agent);
        Filter(command, sql, "owner", query.Owner);
        Filter(command, sql, "task_id", query.TaskId);
        Filter(command, sql, "type", query.Type);
        Filter(command, sql, "decision", query.Decision);
        Filter(command, sql, "actor", query.Actor);
        if (query.From is { } from)
        {
            sql.Append(" AND at >= @from");
            command.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = from.ToDb() });
        }

        if (query.Until is { } until)
        {
            sql.Append(" AND at < @until");
            command.Parameters.Add(new NpgsqlParameter("until", NpgsqlDbType.TimestampTz) { Value = until.ToDb() });
        }

        if (query.Cursor is { } cursor)
        {
            sql.Append(query.NewestFirst ? " AND seq < @cursor" : " AND seq > @cursor");
            command.Parameters.AddWithValue("cursor", cursor);
        }

        sql.Append(query.NewestFirst ? " ORDER BY seq DESC" : " ORDER BY seq").Append(" LIMIT @limit;");
        command.Parameters.AddWithValue("limit", query.Limit);
        command.CommandText = sql.ToString();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<StoredAuditRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(ReadRecord(reader));
        }

        return records;
    }

    public async Task<IReadOnlyList<byte[]>> GetLeafHashesAsync(long from, long toExclusive, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT leaf_hash FROM audit_record WHERE seq >= @from AND seq < @to ORDER BY seq;",
            ("@from", from),
            ("@to", toExclusive));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var hashes = new List<byte[]>();
        while (await reader.ReadAsync(cancellationToken))
        {
            hashes.Add(reader.GetFieldValue<byte[]>(0));
        }

        return hashes;
    }

    public async Task<StoreResult> AddCheckpointAsync(StoredCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        AuditHead head;
        await using (var lockHead = connection.Command(transaction, "SELECT tree_size, frontier, pruned_before, pruned_frontier FROM audit_head WHERE id = 1 FOR SHARE;"))
        {
            head = await ReadHeadAsync(lockHead, cancellationToken);
        }

        if (checkpoint.TreeSize > head.TreeSize || checkpoint.TreeSize < 0)
        {
            throw new ArgumentException($"a checkpoint of tree size {checkpoint.TreeSize} is beyond the log's {head.TreeSize} records", nameof(checkpoint));
        }

        await using (var insert = new NpgsqlBatch(connection, transaction))
        {
            var command = CheckpointInsert(checkpoint);
            command.CommandText = command.CommandText.Replace(";", " ON CONFLICT (tree_size) DO NOTHING;", StringComparison.Ordinal);
            insert.BatchCommands.Add(command);
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return StoreResult.AlreadyExists;
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return StoreResult.Success;
    }

    public async Task<StoredCheckpoint?> GetLatestCheckpointAsync(CancellationToken cancellationToken)
    {
        var list = await QueryCheckpointsAsync("ORDER BY tree_size DESC LIMIT 1", [], cancellationToken);
        return list.Count == 0 ? null : list[0];
    }

    public async Task<StoredCheckpoint?> GetCheckpointAsync(long treeSize, CancellationToken cancellationToken)
    {
        var list = await QueryCheckpointsAsync("WHERE tree_size = @size", [("@size", treeSize)], cancellationToken);
        return list.Count == 0 ? null : list[0];
    }

    public Task<IReadOnlyList<StoredCheckpoint>> ListCheckpointsAsync(long? beforeSize, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return QueryCheckpointsAsync(
            "WHERE tree_size < @before ORDER BY tree_size DESC LIMIT @limit",
            [("@before", beforeSize ?? long.MaxValue), ("@limit", limit)],
            cancellationToken);
    }

    public async Task<StoredAuditKey?> GetSigningKeyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command("SELECT name, public_key, protected_private_key, created_at FROM audit_key WHERE id = 1;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredAuditKey(reader.GetString(0), reader.GetFieldValue<byte[]>(1), reader.GetFieldValue<byte[]>(2), reader.GetTime(3))
            : null;
    }

    public async Task<StoredAuditKey> GetOrAddSigningKeyAsync(StoredAuditKey candidate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            await using var command = connection.Command(
                "INSERT INTO audit_key (id, name, public_key, protected_private_key, created_at) VALUES (1, @name, @public, @private, @at) ON CONFLICT (id) DO NOTHING;",
                ("@name", candidate.Name),
                ("@public", candidate.PublicKey),
                ("@private", candidate.ProtectedPrivateKey),
                ("@at", candidate.CreatedAt));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return await GetSigningKeyAsync(cancellationToken) ?? throw new InvalidOperationException("the audit signing key vanished after it was stored");
    }

    public async Task<long> PruneAsync(long before, byte[] frontierAtBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frontierAtBefore);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        AuditHead head;
        await using (var lockHead = connection.Command(transaction, "SELECT tree_size, frontier, pruned_before, pruned_frontier FROM audit_head WHERE id = 1 FOR UPDATE;"))
        {
            head = await ReadHeadAsync(lockHead, cancellationToken);
        }

        bool checkpointExists;
        await using (var find = connection.Command(transaction, "SELECT 1 FROM audit_checkpoint WHERE tree_size = @size;", ("@size", before)))
        {
            checkpointExists = await find.ExecuteScalarAsync(cancellationToken) is not null;
        }

        AuditPruning.Check(head, before, frontierAtBefore, checkpointExists);
        long deleted;
        await using (var delete = connection.Command(transaction, "DELETE FROM audit_record WHERE seq < @before;", ("@before", before)))
        {
            deleted = await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var update = connection.Command(
            transaction,
            "UPDATE audit_head SET pruned_before = @before, pruned_frontier = @frontier WHERE id = 1;",
            ("@before", before),
            ("@frontier", frontierAtBefore)))
        {
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    private async Task<(NpgsqlConnection Connection, NpgsqlTransaction Transaction, AuditHead Head)> BeginAppendAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.Command(
                transaction,
                "SET LOCAL synchronous_commit = on; SELECT tree_size, frontier, pruned_before, pruned_frontier FROM audit_head WHERE id = 1 FOR UPDATE;");
            var head = await ReadHeadAsync(command, cancellationToken);
            return (connection, transaction, head);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    // The primary key makes each insert the atomic "first one wins" test: a concurrent insert of the
    // same pair by another transaction waits for it to end, and a later one in this batch inserts nothing.
    private static async Task<bool[]> ClaimAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<ReplayClaim> claims, CancellationToken cancellationToken)
    {
        var claimed = new bool[claims.Count];
        if (claims.Count == 0)
        {
            return claimed;
        }

        await using var inserts = new NpgsqlBatch(connection, transaction);
        foreach (var claim in claims)
        {
            var insert = new NpgsqlBatchCommand("INSERT INTO replay_cache (scope, jti, expires_at) VALUES ($1, $2, $3) ON CONFLICT (scope, jti) DO NOTHING;");
            insert.Parameters.Add(Text(claim.Scope));
            insert.Parameters.Add(Text(claim.Jti));
            insert.Parameters.Add(new NpgsqlParameter { Value = claim.ExpiresAt.ToDb(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
            inserts.BatchCommands.Add(insert);
        }

        await inserts.ExecuteNonQueryAsync(cancellationToken);
        for (var i = 0; i < claimed.Length; i++)
        {
            claimed[i] = inserts.BatchCommands[i].RecordsAffected == 1;
        }

        return claimed;
    }

    private static async Task<AuditHead> ReadHeadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException("the audit head row is missing; the database was not migrated");
        }

        return new AuditHead(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), reader.GetInt64(2), reader.GetFieldValue<byte[]>(3));
    }

    private static NpgsqlBatchCommand CheckpointInsert(StoredCheckpoint checkpoint)
    {
        var command = new NpgsqlBatchCommand("INSERT INTO audit_checkpoint (tree_size, root_hash, signed_at, note) VALUES ($1, $2, $3, $4);");
        command.Parameters.Add(new NpgsqlParameter { Value = checkpoint.TreeSize, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = checkpoint.RootHash, NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter { Value = checkpoint.SignedAt.ToDb(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = checkpoint.Note, NpgsqlDbType = NpgsqlDbType.Text });
        return command;
    }

    private async Task<IReadOnlyList<StoredCheckpoint>> QueryCheckpointsAsync(string clause, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command($"SELECT tree_size, root_hash, signed_at, note FROM audit_checkpoint {clause};", parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var checkpoints = new List<StoredCheckpoint>();
        while (await reader.ReadAsync(cancellationToken))
        {
            checkpoints.Add(new StoredCheckpoint(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), reader.GetTime(2), reader.GetString(3)));
        }

        return checkpoints;
    }

    private static StoredAuditRecord ReadRecord(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetTime(1),
        reader.GetString(2),
        reader.GetNullableString(3),
        reader.GetNullableString(4),
        reader.GetNullableString(5),
        reader.GetNullableString(6),
        reader.GetNullableString(7),
        reader.GetFieldValue<byte[]>(8),
        reader.GetFieldValue<byte[]>(9));

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static void Filter(NpgsqlCommand command, StringBuilder sql, string column, string? value)
    {
        if (value is null)
        {
            return;
        }

        sql.Append(CultureInfo.InvariantCulture, $" AND {column} = @{column}");
        command.Parameters.Add(new NpgsqlParameter(column, NpgsqlDbType.Text) { Value = value });
    }
}
