using Writ.Core.Keys;
using Writ.Core.Storage;

namespace Writ.Core.Revocation;

/// <summary>
/// This process's one reader of the revocation event log: it follows the store (woken at once by
/// <see cref="RevocationNotifier"/> for events recorded here, and polling for events recorded by other
/// processes), keeps the newest events in a bounded window, and wakes the stream connections, so the
/// database sees one reader per process however many enforcement points are connected.
/// </summary>
public sealed class RevocationFeed
{
    private const int PageSize = 500;

    private readonly IRevocationEventStore _store;
    private readonly RevocationNotifier _notifier;
    private readonly KeyRing? _keys;
    private readonly int _window;
    private readonly object _gate = new();
    private readonly List<Action<IReadOnlyList<RevocationEvent>>> _listeners = [];
    private Window _recent = new([], 0);
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _last;
    private bool _started;

    /// <summary>Creates the feed; <paramref name="keys"/>, when given, is refreshed on key revocations recorded by other processes.</summary>
    public RevocationFeed(IRevocationEventStore store, RevocationNotifier notifier, KeyRing? keys, int window = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, PageSize);
        _store = store;
        _notifier = notifier;
        _keys = keys;
        _window = window;
    }

    /// <summary>Completes when new events were read; take it before reading, then await it.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>The id of the newest event read so far.</summary>
    public long LastId => Interlocked.Read(ref _last);

    /// <summary>Calls <paramref name="listener"/> with every batch of new events, in order (after the first catch-up).</summary>
    public void Subscribe(Action<IReadOnlyList<RevocationEvent>> listener)
    {
        lock (_gate)
        {
            _listeners.Add(listener);
        }
    }

    /// <summary>
    /// Events after <paramref name="afterId"/>, at most <paramref name="limit"/>: from the window when it
    /// covers them, otherwise from the store.
    /// </summary>
    public async Task<IReadOnlyList<RevocationEvent>> ReadAfterAsync(long afterId, int limit, CancellationToken cancellationToken)
    {
        // The window holds every event after its floor, so it answers any reader at or past the floor.
        var recent = Volatile.Read(ref _recent);
        if (Volatile.Read(ref _started) && afterId >= recent.Floor && afterId <= LastId)
        {
            var events = recent.Events;
            var start = Array.FindIndex(events, e => e.Id > afterId);
            return start < 0 ? [] : events.AsSpan(start, Math.Min(limit, events.Length - start)).ToArray();
        }

        return await _store.ReadAfterAsync(afterId, limit, cancellationToken);
    }

    /// <summary>Follows the store until <paramref name="cancellationToken"/> ends; store failures are retried after <paramref name="pollInterval"/>.</summary>
    /// <param name="pollInterval">How often to look for events recorded by other processes.</param>
    /// <param name="scheduler">The clock the waits run on (the real one, even under a test clock).</param>
    /// <param name="onError">Told about each failed read.</param>
    /// <param name="cancellationToken">Stops the feed.</param>
    public async Task RunAsync(TimeSpan pollInterval, TimeProvider scheduler, Action<Exception>? onError, CancellationToken cancellationToken)
    {
        var first = true;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var wake = _notifier.Next;
                try
                {
                    while (await PullAsync(first, cancellationToken))
                    {
                    }

                    first = false;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    onError?.Invoke(ex);
                }

                await Task.WhenAny(wake, Task.Delay(pollInterval, scheduler, cancellationToken));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task<bool> PullAsync(bool catchUp, CancellationToken cancellationToken)
    {
        var batch = await _store.ReadAfterAsync(LastId, PageSize, cancellationToken);
        if (batch.Count > 0)
        {
            var recent = Volatile.Read(ref _recent);
            RevocationEvent[] all = [.. recent.Events, .. batch];
            var drop = Math.Max(0, all.Length - _window);
            Volatile.Write(ref _recent, drop == 0 ? new Window(all, recent.Floor) : new Window(all[drop..], all[drop - 1].Id));
            Interlocked.Exchange(ref _last, batch[^1].Id);

            if (_keys is not null && batch.Any(e => e.Kind == RevocationKind.Key))
            {
                await _keys.RefreshAsync(cancellationToken);
            }

            if (!catchUp)
            {
                Action<IReadOnlyList<RevocationEvent>>[] listeners;
                lock (_gate)
                {
                    listeners = [.. _listeners];
                }

                foreach (var listener in listeners)
                {
                    listener(batch);
                }
            }
        }

        if (!_started)
        {
            Volatile.Write(ref _started, true);
        }

        var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (batch.Count > 0)
        {
            Interlocked.Exchange(ref _next, fresh).TrySetResult();
        }

        return batch.Count == PageSize;
    }

    private sealed record Window(RevocationEvent[] Events, long Floor);
}
