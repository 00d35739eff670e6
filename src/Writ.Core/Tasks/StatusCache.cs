using System.Collections.Concurrent;
using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Core.Tasks;

/// <summary>
/// Agent records and task states for per-call decisions, so the hot path does not read the store on
/// every call. An entry is trusted for <see cref="TaskOptions.StatusCacheWindow"/>; a change made
/// through this process (suspending an agent, ending a task) takes effect on the very next decision,
/// because the change is announced with <see cref="BeginAgentChange"/> or <see cref="SetTask"/>.
/// While an agent change is in flight every decision for that agent reads the store, so a decision
/// racing the change cannot cache the old status. Changes made by another process are seen within the window.
/// </summary>
public sealed class StatusCache
{
    private readonly IAgentStore agentStore;
    private readonly ITaskStore taskStore;
    private readonly TimeProvider time;
    private readonly long windowTicks;
    private readonly ConcurrentDictionary<string, Entry<Agent>> agents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry<TaskRecord>> tasks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> changingAgents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> agentGenerations = new(StringComparer.Ordinal);

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
        windowTicks = (long)(options.StatusCacheWindow.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>The agent as recently read (null when unknown).</summary>
    public ValueTask<Agent?> GetAgentAsync(string name, CancellationToken cancellationToken)
    {
        if (agents.TryGetValue(name, out var entry) && Fresh(entry.LoadedAt) && !changingAgents.ContainsKey(name))
        {
            return ValueTask.FromResult<Agent?>(entry.Value);
        }

        return LoadAgentAsync(name, cancellationToken);
    }

    /// <summary>The task as recently read (null when unknown).</summary>
    public ValueTask<TaskRecord?> GetTaskAsync(string id, CancellationToken cancellationToken)
    {
        if (tasks.TryGetValue(id, out var entry) && (entry.Value.State != TaskState.Active || Fresh(entry.LoadedAt)))
        {
            // A task that has ended never becomes active again, so an ended state never goes stale.
            return ValueTask.FromResult<TaskRecord?>(entry.Value);
        }

        return LoadTaskAsync(id, cancellationToken);
    }

    /// <summary>Records a task's new state after this process changed it.</summary>
    public void SetTask(TaskRecord task)
    {
        ArgumentNullException.ThrowIfNull(task);
        tasks[task.Id] = new Entry<TaskRecord>(task, time.GetTimestamp());
    }

    /// <summary>
    /// Announces a change of the agent's status: until the returned handle is disposed every decision for
    /// the agent reads the store, and the cached record is dropped on both ends.
    /// </summary>
    public IDisposable BeginAgentChange(string name)
    {
        changingAgents.AddOrUpdate(name, 1, static (_, n) => n + 1);
        agentGenerations.AddOrUpdate(name, 1, static (_, n) => n + 1);
        agents.TryRemove(name, out _);
        return new Change(this, name);
    }

    /// <summary>Drops the cached agent record.</summary>
    public void InvalidateAgent(string name)
    {
        agentGenerations.AddOrUpdate(name, 1, static (_, n) => n + 1);
        agents.TryRemove(name, out _);
    }

    private bool Fresh(long loadedAt) => windowTicks > 0 && time.GetTimestamp() - loadedAt < windowTicks;

    private async ValueTask<Agent?> LoadAgentAsync(string name, CancellationToken cancellationToken)
    {
        var loadedAt = time.GetTimestamp();
        var generation = agentGenerations.GetValueOrDefault(name);
        var agent = await agentStore.GetAsync(name, cancellationToken);

        // A change that began or ended while the store was read may have made this record stale: do not keep it.
        if (agent is not null && !changingAgents.ContainsKey(name) && agentGenerations.GetValueOrDefault(name) == generation)
        {
            agents[name] = new Entry<Agent>(agent, loadedAt);
        }

        return agent;
    }

    private async ValueTask<TaskRecord?> LoadTaskAsync(string id, CancellationToken cancellationToken)
    {
        var loadedAt = time.GetTimestamp();
        var task = await taskStore.GetAsync(id, cancellationToken);
        if (task is not null)
        {
            tasks.AddOrUpdate(id, new Entry<TaskRecord>(task, loadedAt), (_, old) => old.Value.State != TaskState.Active ? old : new Entry<TaskRecord>(task, loadedAt));
        }

        return task;
    }

    private void EndChange(string name)
    {
        agentGenerations.AddOrUpdate(name, 1, static (_, n) => n + 1);
        agents.TryRemove(name, out _);
        while (changingAgents.TryGetValue(name, out var count))
        {
            if (count <= 1)
            {
                if (changingAgents.TryRemove(new KeyValuePair<string, int>(name, count)))
                {
                    return;
                }
            }
            else if (changingAgents.TryUpdate(name, count - 1, count))
            {
                return;
            }
        }
    }

    private sealed record Entry<T>(T Value, long LoadedAt);

    private sealed class Change(StatusCache cache, string name) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                cache.EndChange(name);
                cache.agents.TryRemove(name, out _);
            }
        }
    }
}
