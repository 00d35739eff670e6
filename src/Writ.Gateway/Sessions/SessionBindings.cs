using Writ.Core.Tasks;

namespace Writ.Gateway.Sessions;

/// <summary>
/// Which task created each MCP session of a Streamable HTTP upstream, keyed by route and <c>Mcp-Session-Id</c>.
/// A binding lives until its session is deleted, the upstream forgets it, or the last task token that used it
/// expires. The table is bounded: a task holds at most <see cref="PerTaskLimit"/> sessions (its oldest is
/// forgotten first), and when the whole table is full of live sessions no new session is admitted.
/// Bindings are held by this process only.
/// </summary>
internal sealed class SessionBindings(TimeProvider time, int capacity = SessionBindings.DefaultCapacity, int perTaskLimit = SessionBindings.DefaultPerTaskLimit)
{
    public const int DefaultCapacity = 10_000;
    public const int DefaultPerTaskLimit = 64;

    private readonly Lock gate = new();
    private readonly Dictionary<(string Route, string Id), Binding> bindings = [];
    private readonly Dictionary<string, LinkedList<(string Route, string Id)>> byTask = new(StringComparer.Ordinal);

    public int PerTaskLimit => perTaskLimit;

    public int Count
    {
        get
        {
            lock (gate)
            {
                return bindings.Count;
            }
        }
    }

    /// <summary>Whether <paramref name="task"/> may use session <paramref name="id"/> on <paramref name="route"/>; using it keeps it alive as long as the token.</summary>
    public SessionCheck Check(string route, string id, TaskTokenClaims task)
    {
        lock (gate)
        {
            if (!bindings.TryGetValue((route, id), out var binding))
            {
                return SessionCheck.Unknown;
            }

            if (binding.ExpiresAt <= time.GetUtcNow())
            {
                RemoveLocked((route, id), binding);
                return SessionCheck.Unknown;
            }

            if (!binding.Owner.Owns(task))
            {
                return SessionCheck.Foreign;
            }

            Extend(binding, task);
            return SessionCheck.Owned;
        }
    }

    /// <summary>Binds a session the upstream just created to <paramref name="task"/>; false when the table is full or the id is another task's.</summary>
    public bool TryBind(string route, string id, TaskTokenClaims task)
    {
        var key = (route, id);
        lock (gate)
        {
            if (bindings.TryGetValue(key, out var existing))
            {
                if (existing.ExpiresAt > time.GetUtcNow())
                {
                    if (!existing.Owner.Owns(task))
                    {
                        return false;
                    }

                    Extend(existing, task);
                    return true;
                }

                RemoveLocked(key, existing);
            }

            if (bindings.Count >= capacity)
            {
                PurgeExpiredLocked();
                if (bindings.Count >= capacity)
                {
                    return false;
                }
            }

            if (!byTask.TryGetValue(task.TaskId, out var owned))
            {
                owned = new LinkedList<(string Route, string Id)>();
                byTask[task.TaskId] = owned;
            }

            if (owned.Count >= perTaskLimit)
            {
                var oldest = owned.First!.Value;
                RemoveLocked(oldest, bindings[oldest]);
                byTask[task.TaskId] = owned;
            }

            var node = owned.AddLast(key);
            bindings[key] = new Binding(SessionOwner.Of(task), task.ExpiresAt, node);
            return true;
        }
    }

    /// <summary>Forgets a session (deleted by the agent, or unknown to the upstream).</summary>
    public void Remove(string route, string id)
    {
        lock (gate)
        {
            if (bindings.TryGetValue((route, id), out var binding))
            {
                RemoveLocked((route, id), binding);
            }
        }
    }

    private static void Extend(Binding binding, TaskTokenClaims task)
    {
        // A renewed token of the same task keeps the session; a session never outlives every token that may use it.
        if (task.ExpiresAt > binding.ExpiresAt)
        {
            binding.ExpiresAt = task.ExpiresAt;
        }
    }

    private void PurgeExpiredLocked()
    {
        var now = time.GetUtcNow();
        foreach (var (key, binding) in bindings.Where(b => b.Value.ExpiresAt <= now).ToList())
        {
            RemoveLocked(key, binding);
        }
    }

    private void RemoveLocked((string Route, string Id) key, Binding binding)
    {
        bindings.Remove(key);
        var owned = binding.Node.List!;
        owned.Remove(binding.Node);
        if (owned.Count == 0)
        {
            byTask.Remove(binding.Owner.TaskId);
        }
    }

    private sealed class Binding(SessionOwner owner, DateTimeOffset expiresAt, LinkedListNode<(string Route, string Id)> node)
    {
        public SessionOwner Owner { get; } = owner;

        public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

        public LinkedListNode<(string Route, string Id)> Node { get; } = node;
    }
}
