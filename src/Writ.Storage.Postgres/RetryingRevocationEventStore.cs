using Writ.Core.Revocation;
using Writ.Core.Storage;
using static Writ.Storage.Postgres.BrokenConnectionRetry;

namespace Writ.Storage.Postgres;

/// <summary>The revocation event store with one more try on a broken session (see <see cref="BrokenConnectionRetry"/>).</summary>
/// <remarks>
/// A repeated append after a commit that completed just before the session died records the event
/// twice; enforcement points apply revocations idempotently, so a duplicate only costs a line.
/// </remarks>
internal sealed class RetryingRevocationEventStore(IRevocationEventStore inner) : IRevocationEventStore
{
    public Task<RevocationEvent> AppendAsync(RevocationEvent revocation, CancellationToken cancellationToken) => RunAsync(() => inner.AppendAsync(revocation, cancellationToken));

    public Task<IReadOnlyList<RevocationEvent>> ReadAfterAsync(long afterId, int limit, CancellationToken cancellationToken) => RunAsync(() => inner.ReadAfterAsync(afterId, limit, cancellationToken));

    public Task<long> GetLatestIdAsync(CancellationToken cancellationToken) => RunAsync(() => inner.GetLatestIdAsync(cancellationToken));

    public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) => RunAsync(() => inner.PurgeExpiredAsync(now, cancellationToken));

    public Task<StoreResult> AddStreamAsync(SignalStream stream, CancellationToken cancellationToken) => RunAsync(() => inner.AddStreamAsync(stream, cancellationToken));

    public Task<SignalStream?> GetStreamAsync(string id, CancellationToken cancellationToken) => RunAsync(() => inner.GetStreamAsync(id, cancellationToken));

    public Task<IReadOnlyList<SignalStream>> ListStreamsAsync(CancellationToken cancellationToken) => RunAsync(() => inner.ListStreamsAsync(cancellationToken));

    public Task<StoreResult<SignalStream>> UpdateStreamAsync(SignalStream stream, CancellationToken cancellationToken) => RunAsync(() => inner.UpdateStreamAsync(stream, cancellationToken));

    public Task<StoreResult> RemoveStreamAsync(string id, CancellationToken cancellationToken) => RunAsync(() => inner.RemoveStreamAsync(id, cancellationToken));

    // A repeat after a lost commit finds the cursor already moved and answers false: the SETs are queued once.
    public Task<bool> EnqueueAsync(string streamId, long expectedCursor, long newCursor, IReadOnlyList<QueuedSet> sets, CancellationToken cancellationToken) =>
        RunAsync(() => inner.EnqueueAsync(streamId, expectedCursor, newCursor, sets, cancellationToken));

    public Task<IReadOnlyList<QueuedSet>> PeekQueueAsync(string streamId, int limit, CancellationToken cancellationToken) => RunAsync(() => inner.PeekQueueAsync(streamId, limit, cancellationToken));

    public Task<int> AcknowledgeAsync(string streamId, IReadOnlyCollection<string> jtis, CancellationToken cancellationToken) => RunAsync(() => inner.AcknowledgeAsync(streamId, jtis, cancellationToken));
}
