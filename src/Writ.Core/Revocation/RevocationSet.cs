using System.Collections.Concurrent;

namespace Writ.Core.Revocation;

/// <summary>
/// What an enforcement point knows to be revoked, built from the revocation event stream. Lookups take no
/// lock. An entry leaves once every token it could name has expired anyway (<see cref="Sweep"/>), and
/// the set holds at most <see cref="Capacity"/> entries: beyond that it fails closed, answering
/// revoked for every token until every revocation it had to drop has expired and it is back under the bound.
/// </summary>
public sealed class RevocationSet
{
    private readonly ConcurrentDictionary<string, Entry>[] _byKind;
    private int _count;
    private volatile bool _overflowed;
    private long _droppedUntilTicks;

    /// <summary>Creates an empty set holding at most <paramref name="capacity"/> entries.</summary>
    public RevocationSet(int capacity = 1_000_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _byKind = [.. Enum.GetValues<RevocationKind>().Select(_ => new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal))];
    }

    /// <summary>The most entries held.</summary>
    public int Capacity { get; }

    /// <summary>Entries held now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>True while more revocations arrived than fit: every lookup answers revoked.</summary>
    public bool Overflowed => _overflowed;

    /// <summary>Takes in one event; an event for a subject already held keeps the later time and expiry.</summary>
    public void Apply(RevocationEvent revocation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        if (revocation.ExpiresAt <= now)
        {
            return;
        }

        var map = _byKind[(int)revocation.Kind];
        var entry = new Entry(revocation.At, revocation.ExpiresAt);
        while (true)
        {
            if (map.TryGetValue(revocation.Subject, out var existing))
            {
                var merged = new Entry(Max(existing.At, entry.At), Max(existing.ExpiresAt, entry.ExpiresAt));
                if (merged == existing || map.TryUpdate(revocation.Subject, merged, existing))
                {
                    return;
                }

                continue;
            }

            if (Count >= Capacity)
            {
                // A dropped revocation must keep failing closed until every token it could end has expired.
                var ticks = revocation.ExpiresAt.UtcTicks;
                long seen;
                while ((seen = Interlocked.Read(ref _droppedUntilTicks)) < ticks && Interlocked.CompareExchange(ref _droppedUntilTicks, ticks, seen) != seen)
                {
                }

                _overflowed = true;
                return;
            }

            if (map.TryAdd(revocation.Subject, entry))
            {
                Interlocked.Increment(ref _count);
                return;
            }
        }
    }

    /// <summary>True when any revocation held ends the token described by <paramref name="query"/>.</summary>
    public bool IsRevoked(in RevocationQuery query)
    {
        if (_overflowed)
        {
            return true;
        }

        if (Named(RevocationKind.Token, query.Jti) || Named(RevocationKind.Key, query.KeyId) || Named(RevocationKind.Task, query.TaskId)
            || Named(RevocationKind.Lease, query.LeaseId) || Named(RevocationKind.Connection, query.Connection))
        {
            return true;
        }

        // An agent or owner revoked at T ends what was issued up to T; a token issued after a resumption is fine.
        if (IssuedUpTo(RevocationKind.Owner, query.Owner, query.IssuedAt))
        {
            return true;
        }

        if (query.Agents is { } agents)
        {
            foreach (var agent in agents)
            {
                if (IssuedUpTo(RevocationKind.Agent, agent, query.IssuedAt))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="subject"/> of <paramref name="kind"/> is held (whatever the issue time).</summary>
    public bool Contains(RevocationKind kind, string subject) => _byKind[(int)kind].ContainsKey(subject);

    /// <summary>Drops entries whose tokens have all expired at <paramref name="now"/>; returns how many.</summary>
    public int Sweep(DateTimeOffset now)
    {
        var removed = 0;
        foreach (var map in _byKind)
        {
            foreach (var (subject, entry) in map)
            {
                if (entry.ExpiresAt <= now && map.TryRemove(new KeyValuePair<string, Entry>(subject, entry)))
                {
                    removed++;
                    Interlocked.Decrement(ref _count);
                }
            }
        }

        if (_overflowed && Count < Capacity && now.UtcTicks >= Interlocked.Read(ref _droppedUntilTicks))
        {
            _overflowed = false;
        }

        return removed;
    }

    private static DateTimeOffset Max(DateTimeOffset left, DateTimeOffset right) => left > right ? left : right;

    private bool Named(RevocationKind kind, string? subject) => subject is not null && _byKind[(int)kind].ContainsKey(subject);

    private bool IssuedUpTo(RevocationKind kind, string? subject, DateTimeOffset issuedAt) =>
        subject is not null && _byKind[(int)kind].TryGetValue(subject, out var entry) && issuedAt <= entry.At;

    private readonly record struct Entry(DateTimeOffset At, DateTimeOffset ExpiresAt);
}
