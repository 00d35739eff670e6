using System.Threading.Channels;
using Writ.Core.Storage;

namespace Writ.Core.Audit;

/// <summary>
/// The tamper-evident audit log: one writer loop drains a bounded queue and group-commits what it
/// finds. Inside each append transaction (under the store's sequencer lock) it numbers the records
/// from the stored head, encodes and hashes them, extends the Merkle frontier and, when due, signs
/// a checkpoint; a record's waiter completes only after that transaction committed. A failed commit
/// fails the waiters of its batch and leaves the head where it was.
/// </summary>
/// <remarks>
/// A batch commits as soon as the writer is free unless it holds only records nobody waits on
/// (<see cref="IAuditLog.RecordAsync"/>); those may linger up to <see cref="AuditOptions.FlushWindow"/>
/// for company. Under load records arriving during one commit form the next batch, so the number of
/// syncs grows with the number of commits the disk can do, not with the number of records.
/// </remarks>
public sealed class AuditLog : IClaimingAuditLog, IAsyncDisposable
{
    private readonly IAuditStore _store;
    private readonly IAuditCheckpointSigner _signer;
    private readonly IAuditObserver? _observer;
    private readonly AuditOptions _options;
    private readonly TimeProvider _time;
    private readonly Channel<Pending> _queue;
    private readonly Task _writer;

    // Written by the writer loop only; read by callers to refuse early while the store fails.
    private volatile bool _failing;
    private volatile bool _stopping;
    private bool _signedOnce;
    private bool _unsigned;
    private long _sinceCheckpoint;
    private long _lastCheckpointTimestamp;

    /// <summary>Starts the writer over <paramref name="store"/>.</summary>
    public AuditLog(IAuditStore store, IAuditCheckpointSigner signer, AuditOptions options, TimeProvider time, IAuditObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        _store = store;
        _signer = signer;
        _options = options;
        _time = time;
        _observer = observer;
        _lastCheckpointTimestamp = time.GetTimestamp();
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = Task.Run(RunWriterAsync);
    }

    /// <summary>The options the log runs with.</summary>
    public AuditOptions Options => _options;

    /// <inheritdoc />
    public Task RecordDurableAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        var pending = new Pending(Check(auditEvent), new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously), _time.GetTimestamp());
        Enqueue(pending);
        return pending.Done!.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RecordDurableClaimingAsync(ReplayClaim claim, AuditEvent whenFirst, AuditEvent whenReplayed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var pending = new Pending(Check(whenFirst), new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously), _time.GetTimestamp())
        {
            Claim = claim,
            Replayed = Check(whenReplayed),
        };
        Enqueue(pending);
        return pending.Done!.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        if (_options.FlushWindow == TimeSpan.Zero)
        {
            return new ValueTask(RecordDurableAsync(auditEvent, cancellationToken));
        }

        if (_failing)
        {
            // Accepting records that cannot be written would only postpone losing them.
            AuditTelemetry.Refused.Add(1);
            throw new AuditUnavailableException("the audit store is failing; the record was not accepted");
        }

        Enqueue(new Pending(Check(auditEvent), null, _time.GetTimestamp()));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask RecordFollowUpAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        if (_options.FlushWindow == TimeSpan.Zero)
        {
            return new ValueTask(RecordDurableAsync(auditEvent, cancellationToken));
        }

        if (_failing)
        {
            AuditTelemetry.Refused.Add(1);
            throw new AuditUnavailableException("the audit store is failing; the record was not accepted");
        }

        var pending = new Pending(Check(auditEvent), null, _time.GetTimestamp());
        return _queue.Writer.TryWrite(pending) ? ValueTask.CompletedTask : WaitForRoomAsync(pending, cancellationToken);
    }

    /// <summary>
    /// Stops accepting records, commits everything accepted, signs a checkpoint of the final head and
    /// ends the writer. Records refused from now on throw <see cref="AuditUnavailableException"/>.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        _queue.Writer.TryComplete();
        await _writer.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        _queue.Writer.TryComplete();
        await _writer;
    }

    private static AuditEvent Check(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        ArgumentException.ThrowIfNullOrWhiteSpace(auditEvent.Type);
        return auditEvent;
    }

    // New actions stop at the admission limit, so follow-up records of actions already taken find room.
    private void Enqueue(Pending pending)
    {
        if (_queue.Reader.Count >= _options.AdmissionLimit || !_queue.Writer.TryWrite(pending))
        {
            AuditTelemetry.Refused.Add(1);
            throw new AuditUnavailableException(_stopping ? "the audit log is stopping" : "the audit queue is full");
        }
    }

    private async ValueTask WaitForRoomAsync(Pending pending, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken);
        }
        catch (ChannelClosedException ex)
        {
            AuditTelemetry.Refused.Add(1);
            throw new AuditUnavailableException("the audit log is stopping", ex);
        }
    }

    // A writer that dies must not leave callers waiting forever: refuse new records and fail the queued ones.
    private async Task RunWriterAsync()
    {
        try
        {
            await WriteLoopAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _stopping = true;
            _queue.Writer.TryComplete();
            _observer?.Failed(0, ex);
            var failure = new AuditUnavailableException("the audit log's writer stopped", ex);
            while (_queue.Reader.TryRead(out var pending))
            {
                pending.Done?.TrySetException(failure);
            }
        }
    }

    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<Pending>(_options.MaxBatch);
        var carried = new List<Pending>();
        while (true)
        {
            batch.Clear();
            batch.AddRange(carried);
            carried.Clear();
            if (batch.Count == 0 && !await WaitForRecordsAsync(reader))
            {
                break;
            }

            Drain(reader, batch);
            if (batch.Count == 0)
            {
                continue;
            }

            if (_options.FlushWindow > TimeSpan.Zero && batch.Count < _options.MaxBatch && batch.TrueForAll(p => p.Done is null))
            {
                await LingerAsync(reader, batch);
            }

            if (await CommitAsync(batch, carried))
            {
                continue;
            }

            if (reader.Completion.IsCompleted)
            {
                // Stopping while the store fails: the last try failed too; report what is lost.
                if (carried.Count > 0)
                {
                    _observer?.Failed(carried.Count, new AuditUnavailableException("the audit log stopped before these accepted records could be written"));
                    carried.Clear();
                }
            }
            else
            {
                await Task.Delay(_options.RetryDelay, _time);
            }
        }

        if (_unsigned)
        {
            await SignCheckpointAsync();
        }
    }

    // Waits for the next record; while committed records are unsigned, wakes up in time to sign them.
    private async Task<bool> WaitForRecordsAsync(ChannelReader<Pending> reader)
    {
        var waiting = reader.WaitToReadAsync().AsTask();
        while (_unsigned)
        {
            var remaining = _options.CheckpointInterval - _time.GetElapsedTime(_lastCheckpointTimestamp);
            if (remaining > TimeSpan.Zero && await Task.WhenAny(waiting, Task.Delay(remaining, _time)) == waiting)
            {
                return await waiting;
            }

            if (!await SignCheckpointAsync())
            {
                // The store fails; try again after the next interval rather than spinning.
                _lastCheckpointTimestamp = _time.GetTimestamp();
            }
        }

        return await waiting;
    }

    private void Drain(ChannelReader<Pending> reader, List<Pending> batch)
    {
        while (batch.Count < _options.MaxBatch && reader.TryRead(out var pending))
        {
            batch.Add(pending);
        }
    }

    private async Task LingerAsync(ChannelReader<Pending> reader, List<Pending> batch)
    {
        var firstQueued = batch[0].QueuedAt;
        while (batch.Count < _options.MaxBatch && batch.TrueForAll(p => p.Done is null))
        {
            var remaining = _options.FlushWindow - _time.GetElapsedTime(firstQueued);
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            var waiting = reader.WaitToReadAsync().AsTask();
            if (await Task.WhenAny(waiting, Task.Delay(remaining, _time)) != waiting || !await waiting)
            {
                return;
            }

            Drain(reader, batch);
        }
    }

    private async Task<bool> CommitAsync(List<Pending> batch, List<Pending> carried)
    {
        var at = _time.GetUtcNow();
        var checkpointDue = !_signedOnce
            || _sinceCheckpoint + batch.Count >= _options.CheckpointEvery
            || _time.GetElapsedTime(_lastCheckpointTimestamp) >= _options.CheckpointInterval;
        AuditRecord[] records = [];
        IReadOnlyList<bool> claimed = [];
        var claims = Claims(batch);
        try
        {
            await _store.AppendAsync(
                claims,
                (head, firsts) =>
                {
                    var built = Build(head, batch, firsts, at, checkpointDue);
                    records = built.Records;
                    claimed = firsts;
                    return built.Batch;
                },
                CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _failing = true;
            _observer?.Failed(batch.Count, ex);
            var failure = new AuditUnavailableException("the audit log could not make the record durable", ex);
            foreach (var pending in batch)
            {
                if (pending.Done is { } done)
                {
                    AuditTelemetry.Refused.Add(1);
                    done.TrySetException(failure);
                }
                else
                {
                    // Accepted records were promised to the log: retry them with the next batch.
                    carried.Add(pending);
                }
            }

            return false;
        }

        if (checkpointDue)
        {
            _signedOnce = true;
            _unsigned = false;
            _sinceCheckpoint = 0;
            _lastCheckpointTimestamp = _time.GetTimestamp();
        }
        else
        {
            _unsigned = true;
            _sinceCheckpoint += records.Length;
        }

        _failing = false;
        AuditTelemetry.Appends.Add(records.Length);
        AuditTelemetry.BatchSize.Record(records.Length);
        AuditTelemetry.FlushLatency.Record(_time.GetElapsedTime(batch[0].QueuedAt).TotalMilliseconds);
        var claimIndex = 0;
        foreach (var pending in batch)
        {
            pending.Done?.TrySetResult(pending.Claim is null || claimed[claimIndex++]);
        }

        try
        {
            _observer?.Committed(records);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Telemetry is a copy; the records are committed whatever the exporter does.
            _observer?.Failed(0, ex);
        }

        return true;
    }

    private static List<ReplayClaim> Claims(List<Pending> batch)
    {
        var claims = new List<ReplayClaim>();
        foreach (var pending in batch)
        {
            if (pending.Claim is { } claim)
            {
                claims.Add(claim);
            }
        }

        return claims;
    }

    // Runs inside the append transaction with the head the store holds locked; a record whose claim
    // came second records its replayed event instead.
    private (AuditRecord[] Records, AuditBatch Batch) Build(AuditHead head, List<Pending> batch, IReadOnlyList<bool> claimed, DateTimeOffset at, bool checkpointDue)
    {
        var frontier = Frontier(head);
        var records = new AuditRecord[batch.Count];
        var rows = new StoredAuditRecord[batch.Count];
        var claimIndex = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var auditEvent = batch[i].Claim is null || claimed[claimIndex++] ? batch[i].Event : batch[i].Replayed!;
            var record = AuditRecord.Create(head.TreeSize + i, at, auditEvent);
            var canonical = AuditRecordEncoding.Encode(record);
            var leaf = MerkleHash.HashLeaf(canonical);
            frontier.Append(leaf);
            records[i] = record;
            rows[i] = new StoredAuditRecord(record.Sequence, record.Time, record.Type, record.Agent, record.Owner, record.TaskId, record.Decision, record.Actor, canonical, leaf);
        }

        var checkpoint = checkpointDue ? _signer.Sign(frontier.Size, frontier.Root(), at) : null;
        return (records, new AuditBatch(rows, frontier.ToBytes(), checkpoint));
    }

    private static MerkleFrontier Frontier(AuditHead head)
    {
        var frontier = head.TreeSize == 0 ? new MerkleFrontier() : MerkleFrontier.FromBytes(head.Frontier);
        if (frontier.Size != head.TreeSize)
        {
            throw new InvalidOperationException($"the stored audit frontier covers {frontier.Size} records, the head {head.TreeSize}");
        }

        return frontier;
    }

    // Signs the current head unless a checkpoint of it exists (another process may have signed it).
    private async Task<bool> SignCheckpointAsync()
    {
        try
        {
            var head = await _store.GetHeadAsync(CancellationToken.None);
            if (head.TreeSize > 0 && await _store.GetCheckpointAsync(head.TreeSize, CancellationToken.None) is null)
            {
                var checkpoint = _signer.Sign(head.TreeSize, Frontier(head).Root(), _time.GetUtcNow());
                await _store.AddCheckpointAsync(checkpoint, CancellationToken.None);
            }

            _unsigned = false;
            _sinceCheckpoint = 0;
            _lastCheckpointTimestamp = _time.GetTimestamp();
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _observer?.Failed(0, ex);
            return false;
        }
    }

    private sealed record Pending(AuditEvent Event, TaskCompletionSource<bool>? Done, long QueuedAt)
    {
        /// <summary>A token id recorded in the same transaction; when it comes second, <see cref="Replayed"/> is recorded instead.</summary>
        public ReplayClaim? Claim { get; init; }

        public AuditEvent? Replayed { get; init; }
    }
}
