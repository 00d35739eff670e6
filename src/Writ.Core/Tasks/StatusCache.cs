using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Core.Tasks;

/// <summary>
/// Agent records and task states for per-call decisions, so the hot path does not read the store on
/// every call. An entry is trusted for <see cref="TaskOptions.StatusCacheWindow"/>; a change made
/// through this process (suspending an agent, ending a task) takes effect on the very next decision,
/// because the change is announced with <see cref="BeginAgentChange"/> or <see cref="SetTask"/>.
/// While an agent change is in flight every decision reads through to the store for that agent, so a
/// decision racing the change cannot keep the old status. Changes made by another process are seen
/// within the window (the staleness bound across processes).
/// </summary>
public sealed class StatusCache
{
    private const int MaxEntries = 100_000;

    private readonly IAgentStore agentStore;
    private readonly ITaskStore taskStore;
    private readonly TimeProvider time;
    private readonly long windowTicks;
    private readonly ConcurrentDictionary<string, Entry<Agent>> agents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry<TaskRecord>> tasks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> changingAgents = new(StringComparer.Ordinal);
    private long version;
    private int changesInFlight;

    /// <summary>Creates the cache.</summary>
    public StatusCache(IWritStore store, TaskOptions options, TimeProvider time)
        : this((store ?? throw new ArgumentNullException(nameof(store))).Agents, store.Tasks, options, time)
    {
    }

    /// <summary>Creates the cache over the two stores it reads.</summary>
    public StatusCache(IAgentStore agents, ITaskStore tasks, TaskOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        agentStore = agents;
        taskStore = tasks;
        this.time = time;
        windowTicks = options.StatusCacheWindow.Ticks;
    }

    /// <summary>Changes whenever a status is changed through this process; entries read before stay valid only while it holds.</summary>
    internal long Version => Volatile.Read(ref version);

    /// <summary>True when no agent status change is in flight.</summary>
    internal bool Quiet => Volatile.Read(ref changesInFlight) == 0;

    /// <summary>The agent when its cached record is fresh; false when the store must be read.</summary>
    public bool TryGetAgent(string name, [NotNullWhen(true)] out Agent? agent)
    {
        agent = TryGetAgentEntry(name, time.GetUtcNow().UtcTicks, out var entry) ? entry.Value : null;
        return agent is not null;
    }

    /// <summary>The task when its cached state can be relied on; false when the store must be read.</summary>
    public bool TryGetTask(string id, [NotNullWhen(true)] out TaskRecord? task)
    {
        task = TryGetTaskEntry(id, time.GetUtcNow().UtcTicks, out var entry) ? entry.Value : null;
        return task is not null;
    }

    /// <summary>The agent as recently read (null when unknown).</summary>
    public ValueTask<Agent?> GetAgentAsync(string name, CancellationToken cancellationToken) =>
        TryGetAgentEntry(name, time.GetUtcNow().UtcTicks, out var entry) ? ValueTask.FromResult<Agent?>(entry.Value) : LoadAgentAsync(name, cancellationToken);

    /// <summary>The task as recently read (null when unknown).</summary>
    public ValueTask<TaskRecord?> GetTaskAsync(string id, CancellationToken cancellationToken) =>
        TryGetTaskEntry(id, time.GetUtcNow().UtcTicks, out var entry) ? ValueTask.FromResult<TaskRecord?>(entry.Value) : LoadTaskAsync(id, cancellationToken);

    /// <summary>Records a task's new state after this process changed it.</summary>
    public void SetTask(TaskRecord task)
    {
        ArgumentNullException.ThrowIfNull(task);
        tasks[task.Id] = new Entry<TaskRecord>(task, time.GetUtcNow().UtcTicks);
        Interlocked.Increment(ref version);
    }

    /// <summary>
    /// Announces a change of the agent's status: until the returned handle is disposed every decision for
    /// the agent reads the store, and the cached record is dropped on both ends.
    /// </summary>
    public IDisposable BeginAgentChange(string name)
    {
        Interlocked.Increment(ref changesInFlight);
        changingAgents.AddOrUpdate(name, 1, static (_, n) => n + 1);
        agents.TryRemove(name, out _);
        Interlocked.Increment(ref version);
        return new Change(this, name);
    }

    /// <summary>Drops the cached agent record.</summary>
    public void InvalidateAgent(string name)
    {
        agents.TryRemove(name, out _);
        Interlocked.Increment(ref version);
    }

    /// <summary>True when <paramref name="entry"/> may still be relied on at <paramref name="nowTicks"/> (UTC ticks).</summary>
    internal bool Fresh<T>(Entry<T> entry, long nowTicks)
        where T : class =>
        (entry.Value is TaskRecord { State: not TaskState.Active }) || nowTicks - entry.LoadedAt < windowTicks;

    internal bool TryGetAgentEntry(string name, long nowTicks, [NotNullWhen(true)] out Entry<Agent>? entry)
    {
        if (agents.TryGetValue(name, out entry) && Fresh(entry, nowTicks) && (Quiet || !changingAgents.ContainsKey(name)))
        {
            return true;
        }

        entry = null;
        return false;
    }

    internal bool TryGetTaskEntry(string id, long nowTicks, [NotNullWhen(true)] out Entry<TaskRecord>? entry)
    {
        // A task that has ended never becomes active again, so an ended state never goes stale.
        if (tasks.TryGetValue(id, out entry) && Fresh(entry, nowTicks))
        {
            return true;
        }

        entry = null;
        return false;
    }

    private async ValueTask<Agent?> LoadAgentAsync(string name, CancellationToken cancellationToken)
    {
        var loadedAt = time.GetUtcNow().UtcTicks;
        var before = Version;
        var agent = await agentStore.GetAsync(name, cancellationToken);

        // A change that began or ended while the store was read may have made this record stale: do not keep it.
        if (agent is not null && Quiet && Version == before)
        {
            Trim(agents);
            agents[name] = new Entry<Agent>(agent, loadedAt);
        }

        return agent;
    }

    private async ValueTask<TaskRecord?> LoadTaskAsync(string id, CancellationToken cancellationToken)
    {
        var loadedAt = time.GetUtcNow().UtcTicks;
        var task = await taskStore.GetAsync(id, cancellationToken);
        if (task is not null)
        {
            Trim(tasks);
            tasks.AddOrUpdate(id, new Entry<TaskRecord>(task, loadedAt), (_, old) => old.Value.State != TaskState.Active ? old : new Entry<TaskRecord>(task, loadedAt));
        }

        return task;
    }

    private void Trim<T>(ConcurrentDictionary<string, Entry<T>> entries)
        where T : class
    {
        if (entries.Count >= MaxEntries)
        {
            entries.Clear();
            Interlocked.Increment(ref version);
        }
    }

    private void EndChange(string name)
    {
        agents.TryRemove(name, out _);
        while (changingAgents.TryGetValue(name, out var count))
        {
            if (count <= 1)
            {
                if (changingAgents.TryRemove(new KeyValuePair<string, int>(name, count)))
                {
                    break;
                }
            }
            else if (changingAgents.TryUpdate(name, count - 1, count))
            {
                break;
            }
        }

        agents.TryRemove(name, out _);
        Interlocked.Increment(ref version);
        Interlocked.Decrement(ref changesInFlight);
    }

    /// <summary>A cached value and when it was read (UTC ticks).</summary>
    internal sealed record Entry<T>(T Value, long LoadedAt)
        where T : class;

    private sealed class Change(StatusCache cache, string name) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                cache.EndChange(name);
            }
        }
    }
}
