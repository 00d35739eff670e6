using System.Collections.Concurrent;
using Writ.Cedar.Authorization;
using Writ.Core.Audit;
using Writ.Core.Domain;
using Writ.Core.Policy;
using Writ.Core.Storage;
using Writ.Core.Tasks;

namespace Writ.Core.Tests.Tasks;

// Fixed policies, an in-memory agent/task store and a recording audit log: the decider's collaborators
// without a database. The storage providers themselves are tested by the conformance suite.
internal sealed class FixedPolicies(string text) : IActivePolicySet
{
    // Compiled as Writ compiles a policy set: validated against the Writ schema, ids from @id.
    public PolicySnapshot Current { get; set; } = new(1, Compile(text));

    private static PolicySet Compile(string text)
    {
        var compiled = PolicyCompiler.Compile([new PolicyFile("test.cedar", text)], WritSchema.Schema);
        Assert.True(compiled.Succeeded, string.Join("; ", compiled.Errors));
        return compiled.Policies!;
    }
}

internal sealed class RecordingAuditLog : IAuditLog
{
    public ConcurrentQueue<AuditEvent> Events { get; } = new();

    public bool Unavailable { get; set; }

    public Task RecordDurableAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        if (Unavailable)
        {
            throw new AuditUnavailableException();
        }

        Events.Enqueue(auditEvent);
        return Task.CompletedTask;
    }

    public ValueTask RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        if (Unavailable)
        {
            throw new AuditUnavailableException();
        }

        Events.Enqueue(auditEvent);
        return ValueTask.CompletedTask;
    }
}

internal sealed class MemoryAgents : IAgentStore
{
    public ConcurrentDictionary<string, Agent> Agents { get; } = new();

    public int Reads;

    public Task<StoreResult> AddAsync(Agent agent, CancellationToken cancellationToken) =>
        Task.FromResult(Agents.TryAdd(agent.Name, agent) ? StoreResult.Success : StoreResult.AlreadyExists);

    public Task<Agent?> GetAsync(string name, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Reads);
        return Task.FromResult(Agents.GetValueOrDefault(name));
    }

    public Task<Agent?> GetBySpiffeIdAsync(string spiffeId, CancellationToken cancellationToken) =>
        Task.FromResult(Agents.Values.FirstOrDefault(a => a.SpiffeId.ToString() == spiffeId));

    public Task<IReadOnlyList<Agent>> ListAsync(string? owner, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Agent>>([.. Agents.Values]);

    public Task<StoreResult<Agent>> SetStatusAsync(string name, AgentStatus status, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var updated = Agents[name] with { Status = status, UpdatedAt = now };
        Agents[name] = updated;
        return Task.FromResult(new StoreResult<Agent>(StoreOutcome.Success, updated));
    }

    public Task<StoreResult<Agent>> AddKeyAsync(string name, AgentKey key, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<StoreResult<Agent>> RemoveKeyAsync(string name, string kid, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();
}

internal sealed class MemoryTasks : ITaskStore
{
    public ConcurrentDictionary<string, TaskRecord> Tasks { get; } = new();

    public Task<StoreResult> AddAsync(TaskRecord task, CancellationToken cancellationToken) =>
        Task.FromResult(Tasks.TryAdd(task.Id, task) ? StoreResult.Success : StoreResult.AlreadyExists);

    public Task<TaskRecord?> GetAsync(string id, CancellationToken cancellationToken) => Task.FromResult(Tasks.GetValueOrDefault(id));

    public Task<IReadOnlyList<TaskRecord>> ListAsync(TaskQuery query, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<TaskRecord>>([.. Tasks.Values]);

    public Task<StoreResult<TaskRecord>> EndAsync(string id, TaskState state, DateTimeOffset at, string endedBy, CancellationToken cancellationToken)
    {
        var ended = Tasks[id] with { State = state, EndedAt = at, EndedBy = endedBy };
        Tasks[id] = ended;
        return Task.FromResult(new StoreResult<TaskRecord>(StoreOutcome.Success, ended));
    }

    public Task<IReadOnlyList<TaskRecord>> ListDescendantsAsync(string id, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<TaskRecord>>([]);

    public Task<IReadOnlyList<TaskRecord>> ExpireAsync(DateTimeOffset now, CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<TaskRecord>>([]);
}
