using Writ.Core.Revocation;

namespace Writ.Core.Storage;

/// <summary>
/// The ordered revocation event log, and the Shared Signals streams with their queues of SETs.
/// Every process sharing a database sees one order: an event is visible to readers only once every
/// event with a smaller id is, so a reader that asks for ids above the last it saw misses nothing.
/// </summary>
public interface IRevocationEventStore
{
    /// <summary>Appends an event and returns it with its id, larger than every id before it.</summary>
    Task<RevocationEvent> AppendAsync(RevocationEvent revocation, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> events with an id above <paramref name="afterId"/>, in id order.</summary>
    Task<IReadOnlyList<RevocationEvent>> ReadAfterAsync(long afterId, int limit, CancellationToken cancellationToken);

    /// <summary>The largest id of a stored, committed event (0 when none).</summary>
    Task<long> GetLatestIdAsync(CancellationToken cancellationToken);

    /// <summary>Deletes events whose expiry is at or before <paramref name="now"/>; returns how many.</summary>
    Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Adds a stream; <see cref="StoreOutcome.AlreadyExists"/> when its id is taken.</summary>
    Task<StoreResult> AddStreamAsync(SignalStream stream, CancellationToken cancellationToken);

    /// <summary>The stream with this id, or null.</summary>
    Task<SignalStream?> GetStreamAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every stream, ordered by creation.</summary>
    Task<IReadOnlyList<SignalStream>> ListStreamsAsync(CancellationToken cancellationToken);

    /// <summary>Replaces a stream's configuration and status (not its cursor); <see cref="StoreOutcome.NotFound"/> when unknown.</summary>
    Task<StoreResult<SignalStream>> UpdateStreamAsync(SignalStream stream, CancellationToken cancellationToken);

    /// <summary>Deletes a stream and its queue; <see cref="StoreOutcome.NotFound"/> when unknown.</summary>
    Task<StoreResult> RemoveStreamAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Queues <paramref name="sets"/> and moves the stream's cursor from <paramref name="expectedCursor"/> to
    /// <paramref name="newCursor"/> in one step; false (and nothing queued) when the cursor moved meanwhile
    /// (another process got there first) or the stream is gone.
    /// </summary>
    Task<bool> EnqueueAsync(string streamId, long expectedCursor, long newCursor, IReadOnlyList<QueuedSet> sets, CancellationToken cancellationToken);

    /// <summary>The oldest <paramref name="limit"/> queued SETs of a stream, in queue order.</summary>
    Task<IReadOnlyList<QueuedSet>> PeekQueueAsync(string streamId, int limit, CancellationToken cancellationToken);

    /// <summary>Removes the named SETs from a stream's queue; returns how many were there.</summary>
    Task<int> AcknowledgeAsync(string streamId, IReadOnlyCollection<string> jtis, CancellationToken cancellationToken);
}
