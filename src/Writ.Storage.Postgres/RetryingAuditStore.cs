using Writ.Core.Audit;
using Writ.Core.Storage;
using static Writ.Storage.Postgres.BrokenConnectionRetry;

namespace Writ.Storage.Postgres;

/// <summary>
/// The audit store with one more try on a broken session for every operation that can safely run
/// twice. Appends retry only their lock step themselves (see <see cref="PostgresAuditStore"/>), and a
/// streamed read is not restarted halfway.
/// </summary>
internal sealed class RetryingAuditStore(IAuditStore inner) : IAuditStore
{
    public Task<AuditHead> AppendAsync(Func<AuditHead, AuditBatch> build, CancellationToken cancellationToken) => inner.AppendAsync(build, cancellationToken);

    public Task<AuditHead> AppendAsync(IReadOnlyList<ReplayClaim> claims, Func<AuditHead, IReadOnlyList<bool>, AuditBatch> build, CancellationToken cancellationToken) =>
        inner.AppendAsync(claims, build, cancellationToken);

    public Task<AuditHead> GetHeadAsync(CancellationToken cancellationToken) => RunAsync(() => inner.GetHeadAsync(cancellationToken));

    public Task<StoredAuditRecord?> GetAsync(long sequence, CancellationToken cancellationToken) => RunAsync(() => inner.GetAsync(sequence, cancellationToken));

    public IAsyncEnumerable<StoredAuditRecord> ReadAsync(long from, long toExclusive, CancellationToken cancellationToken) => inner.ReadAsync(from, toExclusive, cancellationToken);

    public Task<IReadOnlyList<StoredAuditRecord>> SearchAsync(AuditQuery query, CancellationToken cancellationToken) => RunAsync(() => inner.SearchAsync(query, cancellationToken));

    public Task<IReadOnlyList<byte[]>> GetLeafHashesAsync(long from, long toExclusive, CancellationToken cancellationToken) =>
        RunAsync(() => inner.GetLeafHashesAsync(from, toExclusive, cancellationToken));

    public Task<StoreResult> AddCheckpointAsync(StoredCheckpoint checkpoint, CancellationToken cancellationToken) => RunAsync(() => inner.AddCheckpointAsync(checkpoint, cancellationToken));

    public Task<StoredCheckpoint?> GetLatestCheckpointAsync(CancellationToken cancellationToken) => RunAsync(() => inner.GetLatestCheckpointAsync(cancellationToken));

    public Task<StoredCheckpoint?> GetCheckpointAsync(long treeSize, CancellationToken cancellationToken) => RunAsync(() => inner.GetCheckpointAsync(treeSize, cancellationToken));

    public Task<IReadOnlyList<StoredCheckpoint>> ListCheckpointsAsync(long? beforeSize, int limit, CancellationToken cancellationToken) =>
        RunAsync(() => inner.ListCheckpointsAsync(beforeSize, limit, cancellationToken));

    public Task<StoredAuditKey?> GetSigningKeyAsync(CancellationToken cancellationToken) => RunAsync(() => inner.GetSigningKeyAsync(cancellationToken));

    public Task<StoredAuditKey> GetOrAddSigningKeyAsync(StoredAuditKey candidate, CancellationToken cancellationToken) =>
        RunAsync(() => inner.GetOrAddSigningKeyAsync(candidate, cancellationToken));

    public Task<long> PruneAsync(long before, byte[] frontierAtBefore, CancellationToken cancellationToken) => RunAsync(() => inner.PruneAsync(before, frontierAtBefore, cancellationToken));
}
