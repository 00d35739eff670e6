using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using Writ.Core.Audit;
using Writ.Core.Storage;

namespace Writ.Storage.Sqlite;

/// <summary>
/// The audit log in the operational database file. Appends run in a <c>BEGIN IMMEDIATE</c>
/// transaction, which is SQLite's single writer lock (across processes too), and read the head
/// inside it. They switch their pooled connection to <c>synchronous=FULL</c> for the transaction, so
/// the WAL is synced before the commit returns, and back to the pool's NORMAL afterwards: audit
/// commits survive power loss while the other stores keep their cheaper setting.
/// </summary>
internal sealed class SqliteAuditStore(SqliteDatabase database) : IAuditStore
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
        await using var connection = await database.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "PRAGMA synchronous = FULL;", cancellationToken);
        try
        {
            await using var transaction = connection.BeginTransaction(deferred: false);
            var claimed = SqliteReplayCache.Insert(connection, claims, static c => (c.Scope, c.Jti, c.ExpiresAt.ToDb()));
            var head = await ReadHeadAsync(connection, transaction, cancellationToken);
            var batch = build(head, claimed);
            batch.CheckContinues(head);
            InsertRecords(connection, batch.Records);
            var newSize = batch.NewSize(head);
            await using (var update = connection.Command(
                transaction,
                "UPDATE audit_head SET tree_size = @size, frontier = @frontier WHERE id = 1 AND tree_size = @old;",
                ("@size", newSize),
                ("@frontier", batch.Frontier),
                ("@old", head.TreeSize)))
            {
                if (await update.ExecuteNonQueryAsync(cancellationToken) != 1)
                {
                    throw new InvalidOperationException("the audit head moved inside the write transaction");
                }
            }

            if (batch.Checkpoint is { } checkpoint)
            {
                await InsertCheckpointAsync(connection, transaction, checkpoint, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return head with { TreeSize = newSize, Frontier = batch.Frontier };
        }
        finally
        {
            // The pooled connection goes back to the other stores with their setting.
            await ExecuteAsync(connection, "PRAGMA synchronous = NORMAL;", CancellationToken.None);
        }
    }

    public async Task<AuditHead> GetHeadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ReadHeadAsync(connection, null, cancellationToken);
    }

    public async Task<StoredAuditRecord?> GetAsync(long sequence, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {RecordColumns} FROM audit_record WHERE seq = @seq;", ("@seq", sequence));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRecord(reader) : null;
    }

    public async IAsyncEnumerable<StoredAuditRecord> ReadAsync(long from, long toExclusive, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
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
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var sql = new StringBuilder($"SELECT {RecordColumns} FROM audit_record WHERE 1 = 1");
        Filter(command, sql, "agent", query.Agent);
        Filter(command, sql, "owner", query.Owner);
        Filter(command, sql, "task_id", query.TaskId);
        Filter(command, sql, "type", query.Type);
        Filter(command, sql, "decision", query.Decision);
        Filter(command, sql, "actor", query.Actor);
        if (query.From is { } from)
        {
            sql.Append(" AND at >= @from");
            command.Parameters.AddWithValue("@from", from.ToDb());
        }

        if (query.Until is { } until)
        {
            sql.Append(" AND at < @until");
            command.Parameters.AddWithValue("@until", until.ToDb());
        }

        if (query.Cursor is { } cursor)
        {
            sql.Append(query.NewestFirst ? " AND seq < @cursor" : " AND seq > @cursor");
            command.Parameters.AddWithValue("@cursor", cursor);
        }

        sql.Append(query.NewestFirst ? " ORDER BY seq DESC" : " ORDER BY seq").Append(" LIMIT @limit;");
        command.Parameters.AddWithValue("@limit", query.Limit);
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
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT leaf_hash FROM audit_record WHERE seq >= @from AND seq < @to ORDER BY seq;",
            ("@from", from),
            ("@to", toExclusive));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var hashes = new List<byte[]>();
        while (await reader.ReadAsync(cancellationToken))
        {
            hashes.Add((byte[])reader.GetValue(0));
        }

        return hashes;
    }

    public async Task<StoreResult> AddCheckpointAsync(StoredCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var head = await ReadHeadAsync(connection, transaction, cancellationToken);
        if (checkpoint.TreeSize > head.TreeSize || checkpoint.TreeSize < 0)
        {
            throw new ArgumentException($"a checkpoint of tree size {checkpoint.TreeSize} is beyond the log's {head.TreeSize} records", nameof(checkpoint));
        }

        try
        {
            await InsertCheckpointAsync(connection, transaction, checkpoint, cancellationToken);
        }
        catch (SqliteException ex) when (ex.IsUniqueViolation())
        {
            return StoreResult.AlreadyExists;
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
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT name, public_key, protected_private_key, created_at FROM audit_key WHERE id = 1;");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredAuditKey(reader.GetString(0), (byte[])reader.GetValue(1), (byte[])reader.GetValue(2), reader.GetTime(3))
            : null;
    }

    public async Task<StoredAuditKey> GetOrAddSigningKeyAsync(StoredAuditKey candidate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            await using var command = connection.Command(
                "INSERT INTO audit_key (id, name, public_key, protected_private_key, created_at) VALUES (1, @name, @public, @private, @at) ON CONFLICT (id) DO NOTHING;",
                ("@name", candidate.Name),
                ("@public", candidate.PublicKey),
                ("@private", candidate.ProtectedPrivateKey),
                ("@at", candidate.CreatedAt.ToDb()));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return await GetSigningKeyAsync(cancellationToken) ?? throw new InvalidOperationException("the audit signing key vanished after it was stored");
    }

    public async Task<long> PruneAsync(long before, byte[] frontierAtBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(frontierAtBefore);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var head = await ReadHeadAsync(connection, transaction, cancellationToken);
        AuditPruning.Check(head, before, frontierAtBefore, await CheckpointExistsAsync(connection, transaction, before, cancellationToken));
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

    private static async Task<bool> CheckpointExistsAsync(SqliteConnection connection, SqliteTransaction transaction, long treeSize, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(transaction, "SELECT 1 FROM audit_checkpoint WHERE tree_size = @size;", ("@size", treeSize));
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private static async Task<AuditHead> ReadHeadAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT tree_size, frontier, pruned_before, pruned_frontier FROM audit_head WHERE id = 1;";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException("the audit head row is missing; the database was not migrated");
        }

        return new AuditHead(reader.GetInt64(0), (byte[])reader.GetValue(1), reader.GetInt64(2), (byte[])reader.GetValue(3));
    }

    private static void InsertRecords(SqliteConnection connection, IReadOnlyList<StoredAuditRecord> records)
    {
        using var insert = new SqliteRowInserter(connection, $"INSERT INTO audit_record ({RecordColumns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10);");
        foreach (var record in records)
        {
            insert.Integer(1, record.Sequence);
            insert.Integer(2, record.Time.ToDb());
            insert.Text(3, record.Type);
            insert.Text(4, record.Agent);
            insert.Text(5, record.Owner);
            insert.Text(6, record.TaskId);
            insert.Text(7, record.Decision);
            insert.Text(8, record.Actor);
            insert.Blob(9, record.Canonical);
            insert.Blob(10, record.LeafHash);
            insert.Insert();
        }
    }

    private static async Task InsertCheckpointAsync(SqliteConnection connection, SqliteTransaction transaction, StoredCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(
            transaction,
            "INSERT INTO audit_checkpoint (tree_size, root_hash, signed_at, note) VALUES (@size, @root, @at, @note);",
            ("@size", checkpoint.TreeSize),
            ("@root", checkpoint.RootHash),
            ("@at", checkpoint.SignedAt.ToDb()),
            ("@note", checkpoint.Note));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<StoredCheckpoint>> QueryCheckpointsAsync(string clause, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT tree_size, root_hash, signed_at, note FROM audit_checkpoint {clause};", parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var checkpoints = new List<StoredCheckpoint>();
        while (await reader.ReadAsync(cancellationToken))
        {
            checkpoints.Add(new StoredCheckpoint(reader.GetInt64(0), (byte[])reader.GetValue(1), reader.GetTime(2), reader.GetString(3)));
        }

        return checkpoints;
    }

    private static StoredAuditRecord ReadRecord(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetTime(1),
        reader.GetString(2),
        reader.GetNullableString(3),
        reader.GetNullableString(4),
        reader.GetNullableString(5),
        reader.GetNullableString(6),
        reader.GetNullableString(7),
        (byte[])reader.GetValue(8),
        (byte[])reader.GetValue(9));

    private static void Filter(SqliteCommand command, StringBuilder sql, string column, string? value)
    {
        if (value is null)
        {
            return;
        }

        var name = "@" + column;
        sql.Append(CultureInfo.InvariantCulture, $" AND {column} = {name}");
        command.Parameters.AddWithValue(name, value);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
