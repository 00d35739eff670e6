using Writ.Core.Audit;

namespace Writ.Core.Storage;

/// <summary>
/// The audit log's records, Merkle frontier, checkpoints and signing key. The store keeps bytes and
/// hashes the log computed; it does no Merkle arithmetic itself. Every append runs under the
/// database's writer lock (a PostgreSQL advisory lock, SQLite's write transaction), so several
/// processes sharing one database interleave their batches without gaps or duplicates.
/// </summary>
public interface IAuditStore
{
    /// <summary>
    /// Appends one batch in one durable transaction: takes the sequencer lock, reads the head inside
    /// it, calls <paramref name="build"/> with that head, and stores the records, the new head and the
    /// optional checkpoint the builder returned. The transaction commits with the strongest sync the
    /// provider has (SQLite <c>synchronous=FULL</c>, PostgreSQL <c>synchronous_commit=on</c>); when it
    /// fails nothing is kept and the head does not move. <paramref name="build"/> may run more than
    /// once (after a lost session) and must be pure.
    /// </summary>
    /// <returns>The head after the append.</returns>
    /// <exception cref="ArgumentException">The batch does not continue the head it was built on.</exception>
    Task<AuditHead> AppendAsync(Func<AuditHead, AuditBatch> build, CancellationToken cancellationToken);

    /// <summary>
    /// Like <see cref="AppendAsync(Func{AuditHead, AuditBatch}, CancellationToken)"/>, and first, in the
    /// same transaction, records each of <paramref name="claims"/> in the replay cache.
    /// <paramref name="build"/> receives, per claim in order, whether it was the first (false when the
    /// pair was recorded before, by an earlier claim of this batch, another transaction or another
    /// process). When the transaction fails no claim is kept either.
    /// </summary>
    /// <returns>The head after the append.</returns>
    /// <exception cref="ArgumentException">The batch does not continue the head it was built on.</exception>
    Task<AuditHead> AppendAsync(IReadOnlyList<ReplayClaim> claims, Func<AuditHead, IReadOnlyList<bool>, AuditBatch> build, CancellationToken cancellationToken);

    /// <summary>The current head (tree size 0 and an empty frontier for a new log).</summary>
    Task<AuditHead> GetHeadAsync(CancellationToken cancellationToken);

    /// <summary>One record, or null when it does not exist (or was pruned).</summary>
    Task<StoredAuditRecord?> GetAsync(long sequence, CancellationToken cancellationToken);

    /// <summary>The retained records with <paramref name="from"/> &lt;= sequence &lt; <paramref name="toExclusive"/>, in order, streamed.</summary>
    IAsyncEnumerable<StoredAuditRecord> ReadAsync(long from, long toExclusive, CancellationToken cancellationToken);

    /// <summary>Records matching every filter of <paramref name="query"/>, by sequence in the query's order.</summary>
    Task<IReadOnlyList<StoredAuditRecord>> SearchAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// The leaf hashes of sequences <paramref name="from"/> to <paramref name="toExclusive"/> - 1, in
    /// order, for proofs. Fewer than asked when part of the range is pruned or not yet appended.
    /// </summary>
    Task<IReadOnlyList<byte[]>> GetLeafHashesAsync(long from, long toExclusive, CancellationToken cancellationToken);

    /// <summary>
    /// Adds a checkpoint signed outside an append (e.g. at shutdown). <see cref="StoreOutcome.AlreadyExists"/>
    /// when one for that tree size is stored; <see cref="ArgumentException"/> when its size is beyond the head.
    /// </summary>
    Task<StoreResult> AddCheckpointAsync(StoredCheckpoint checkpoint, CancellationToken cancellationToken);

    /// <summary>The checkpoint with the largest tree size, or null.</summary>
    Task<StoredCheckpoint?> GetLatestCheckpointAsync(CancellationToken cancellationToken);

    /// <summary>The checkpoint for exactly <paramref name="treeSize"/>, or null.</summary>
    Task<StoredCheckpoint?> GetCheckpointAsync(long treeSize, CancellationToken cancellationToken);

    /// <summary>Checkpoints newest first, those with a tree size below <paramref name="beforeSize"/> when given.</summary>
    Task<IReadOnlyList<StoredCheckpoint>> ListCheckpointsAsync(long? beforeSize, int limit, CancellationToken cancellationToken);

    /// <summary>The audit signing key, or null before the first start.</summary>
    Task<StoredAuditKey?> GetSigningKeyAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="candidate"/> as the audit signing key unless one exists, and returns the
    /// stored key: the first process to start creates it, every other one uses it.
    /// </summary>
    Task<StoredAuditKey> GetOrAddSigningKeyAsync(StoredAuditKey candidate, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the records below <paramref name="before"/>, which must be the tree size of a stored
    /// checkpoint, and keeps <paramref name="frontierAtBefore"/> (the Merkle frontier of the first
    /// <paramref name="before"/> leaves) so the rest still verifies against signed history.
    /// Checkpoints are never deleted. Returns how many records were deleted.
    /// </summary>
    /// <exception cref="ArgumentException">No checkpoint has tree size <paramref name="before"/>, or it is below an earlier prune.</exception>
    Task<long> PruneAsync(long before, byte[] frontierAtBefore, CancellationToken cancellationToken);
}
