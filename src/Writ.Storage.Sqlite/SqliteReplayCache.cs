using Microsoft.Data.Sqlite;
using Writ.Core.Storage;

namespace Writ.Storage.Sqlite;

/// <summary>
/// The replay cache with group commit: concurrent records are written by one writer in one transaction,
/// so a burst of token requests pays for one commit instead of one each. Every caller's task completes
/// only after the commit that holds its row (or with that commit's failure), and the primary key still
/// decides per row, so of two identical <c>jti</c>s, in one batch or across processes, exactly one wins.
/// </summary>
internal sealed class SqliteReplayCache(SqliteDatabase database) : IReplayCache
{
    // Bounds how long one transaction holds the write lock against other processes.
    private const int MaxBatch = 256;

    private readonly Lock _gate = new();
    private List<PendingRecord> _pending = [];
    private bool _writing;

    public async Task<bool> TryRecordAsync(string scope, string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // Continuations run on the pool, not inline on the writer, so responses do not queue behind it.
        var record = new PendingRecord(scope, jti, expiresAt.ToDb(), new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        bool startWriter;
        lock (_gate)
        {
            _pending.Add(record);
            startWriter = !_writing;
            _writing = true;
        }

        if (startWriter)
        {
            // Nobody was writing, so this caller's row heads the queue: commit that first batch here, without
            // a thread hop (the common case when requests come one at a time), and leave later ones to the pool.
            await WriteAsync(TakeBatch()!);
            if (TakeNextOrStop())
            {
                _ = Task.Run(WriteBatchesAsync, CancellationToken.None);
            }
        }

        // A caller that gives up still leaves its row to be written: the assertion is then spent, which
        // fails closed. It never receives true before the commit.
        return await record.Result.Task.WaitAsync(cancellationToken);
    }

    public async Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("DELETE FROM replay_cache WHERE expires_at <= @now;", ("@now", now.ToDb()));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Runs while records are waiting; whatever arrives during one commit forms the next batch.</summary>
    private async Task WriteBatchesAsync()
    {
        do
        {
            await WriteAsync(TakeBatch()!);
        }
        while (TakeNextOrStop());
    }

    /// <summary>True when records are waiting (the caller stays the writer); false after giving up the writer role.</summary>
    private bool TakeNextOrStop()
    {
        lock (_gate)
        {
            _writing = _pending.Count > 0;
            return _writing;
        }
    }

    /// <summary>The oldest waiting records, at most <see cref="MaxBatch"/>; only the writer calls this.</summary>
    private List<PendingRecord>? TakeBatch()
    {
        lock (_gate)
        {
            if (_pending.Count == 0)
            {
                return null;
            }

            if (_pending.Count <= MaxBatch)
            {
                var all = _pending;
                _pending = [];
                return all;
            }

            var batch = _pending.GetRange(0, MaxBatch);
            _pending.RemoveRange(0, MaxBatch);
            return batch;
        }
    }

    private async Task WriteAsync(List<PendingRecord> batch)
    {
        bool[] inserted;
        try
        {
            await using var connection = await database.OpenAsync(CancellationToken.None);

            // Immediate: take the write lock up front so the batch cannot fail half-way on an upgrade.
            await using var transaction = connection.BeginTransaction(deferred: false);
            inserted = Insert(connection, batch, static r => (r.Scope, r.Jti, r.ExpiresAt));
            await transaction.CommitAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            // Nothing in a failed batch counts as recorded: every caller sees the failure.
            foreach (var record in batch)
            {
                record.Result.TrySetException(ex);
            }

            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Result.TrySetResult(inserted[i]);
        }
    }

    /// <summary>
    /// Inserts each row inside the connection's open write transaction and says, per row, whether it was
    /// the first: the primary key makes each insert the atomic "first one wins" test, within the rows
    /// given and against every committed or concurrent writer.
    /// </summary>
    internal static bool[] Insert<T>(SqliteConnection connection, IReadOnlyList<T> rows, Func<T, (string Scope, string Jti, long ExpiresAt)> columns)
    {
        var inserted = new bool[rows.Count];
        if (rows.Count == 0)
        {
            return inserted;
        }

        using var insert = new SqliteRowInserter(connection, "INSERT INTO replay_cache (scope, jti, expires_at) VALUES (?1, ?2, ?3) ON CONFLICT (scope, jti) DO NOTHING;");
        for (var i = 0; i < rows.Count; i++)
        {
            var (scope, jti, expires) = columns(rows[i]);
            insert.Text(1, scope);
            insert.Text(2, jti);
            insert.Integer(3, expires);
            inserted[i] = insert.Insert() == 1;
        }

        return inserted;
    }

    private sealed record PendingRecord(string Scope, string Jti, long ExpiresAt, TaskCompletionSource<bool> Result);
}
