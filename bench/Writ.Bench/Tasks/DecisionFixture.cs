using System.Text.Json;
using Writ.Cedar.Authorization;
using Writ.Cedar.Values;
using Writ.Core.Audit;
using Writ.Core.Domain;
using Writ.Core.Policy;
using Writ.Core.Storage;
using Writ.Core.Tasks;

namespace Writ.Bench.Tasks;

/// <summary>
/// One task and one tool call, set up twice: for the in-process decider (claims, stores, audit sink), and
/// as the bare Cedar request the decider ends up asking (same policies, entities and context, built once).
/// </summary>
internal sealed class DecisionFixture
{
    public const string PolicyText = """
        @id("start-any")
        permit (principal, action == Writ::Action::"StartTask", resource);

        @id("github-research")
        permit (principal, action == Writ::Action::"CallTool", resource in Writ::Toolset::"github")
        when { principal.hasTag("team") && principal.getTag("team") == "research" && context.risk.score < 50 };

        @id("db-read")
        permit (principal, action == Writ::Action::"CallTool", resource == Writ::Tool::"db.query")
        when { context.call.hasTag("sql") && context.call.getTag("sql") like "SELECT *" };

        @id("no-restricted-data")
        forbid (principal, action == Writ::Action::"CallTool", resource)
        when { context.sensitivityLevel >= 3 };

        @id("no-deep-chains")
        forbid (principal, action, resource)
        when { context has depth && context.depth > 2 };

        @id("owners-only-delegate")
        permit (principal, action == Writ::Action::"Delegate", resource)
        when { resource in principal.owner };
        """;

    private static readonly TrustDomain Domain = TrustDomain.Parse("bench.test");
    private static readonly TaskIntent Intent = new(
        "triage open bugs",
        [new ToolGrant("github.search_issues", ["repo:acme/web", "repo:acme/api"]), new ToolGrant("db.query", ["db:orders"])],
        Sensitivity.Internal,
        TimeSpan.FromMinutes(10));

    public DecisionFixture()
    {
        var compiled = PolicyCompiler.Compile([new PolicyFile("bench.cedar", PolicyText)], WritSchema.Schema);
        Policies = compiled.Succeeded ? compiled.Policies! : throw new InvalidOperationException(string.Join("; ", compiled.Errors));
        var now = DateTimeOffset.UtcNow;
        var agent = new Agent("research", SpiffeId.ForAgent(Domain, "research"), "alice", AgentStatus.Active, [AttestationMethod.JoinToken], new Dictionary<string, string> { ["team"] = "research" }, [], now, now);
        var task = new TaskRecord("task-1", "research", "alice", null, Intent, null, "task-1", [], "https://gateway.test", TaskState.Active, now, now.AddHours(1), null, null, null);
        Claims = new TaskTokenClaims
        {
            TaskId = task.Id,
            Jti = "jti-1",
            Audience = task.Audience,
            Subject = agent.SpiffeId.ToString(),
            ActingAgent = agent.SpiffeId.ToString(),
            AgentName = agent.Name,
            Chain = [],
            Owner = "alice",
            Intent = Intent,
            Attestation = new TaskAttestation("join_token", null),
            IssuedAt = now,
            ExpiresAt = now.AddHours(1),
            Actors = [],
        };
        Call = new CallRequest("github.search_issues", "repo:acme/web")
        {
            Arguments = JsonDocument.Parse("""{"query":"is:open label:bug","limit":10}""").RootElement.Clone(),
        };
        var active = new FixedPolicySet(new PolicySnapshot(1, Policies));
        Decider = new CallDecider(active, new StatusCache(new OneAgent(agent), new OneTask(task), new TaskOptions(), TimeProvider.System), new DiscardingAuditLog(), TimeProvider.System);

        // The bare request: what the decider passes to Cedar for this call, built once.
        var owner = new EntityUid("Writ::Owner", "alice");
        var toolset = new EntityUid("Writ::Toolset", "github");
        var toolUid = new EntityUid("Writ::Tool", "github.search_issues");
        var targetUid = new EntityUid("Writ::Target", "repo:acme/web");
        var taskUid = new EntityUid("Writ::Task", task.Id);
        var callUid = new EntityUid("Writ::ToolCall", "call");
        var agentUid = new EntityUid("Writ::Agent", "research");
        var attestation = new RecordValue([new("method", new StringValue("join_token")), new("issuer", StringValue.Empty)]);
        Entities = new EntityStore(
        [
            new Entity(agentUid, new RecordValue([new("spiffeId", new StringValue(agent.SpiffeId.ToString())), new("owner", owner), new("status", new StringValue("active")), new("attestation", attestation)]), [owner], new Dictionary<string, Value> { ["team"] = new StringValue("research") }),
            new Entity(owner),
            new Entity(toolUid, null, [toolset]),
            new Entity(toolset),
            new Entity(targetUid),
            new Entity(taskUid, new RecordValue(
            [
                new("purpose", new StringValue(Intent.Purpose)),
                new("owner", owner),
                new("agent", agentUid),
                new("tools", new SetValue([toolUid, new EntityUid("Writ::Tool", "db.query")])),
                new("targets", new SetValue([targetUid, new EntityUid("Writ::Target", "repo:acme/api"), new EntityUid("Writ::Target", "db:orders")])),
                new("sensitivity", new StringValue("internal")),
                new("sensitivityLevel", LongValue.Of(1)),
                new("depth", LongValue.Of(0)),
                new("chain", SetValue.Empty),
            ])),
            new Entity(callUid, null, null, new Dictionary<string, Value> { ["query"] = new StringValue("is:open label:bug"), ["limit"] = new StringValue("10") }),
        ]);
        Request = new Request(agentUid, new EntityUid("Writ::Action", "CallTool"), toolUid, new RecordValue(
        [
            new("task", taskUid),
            new("target", targetUid),
            new("sensitivity", new StringValue("internal")),
            new("sensitivityLevel", LongValue.Of(1)),
            new("call", callUid),
            new("depth", LongValue.Of(0)),
            new("chain", SetValue.Empty),
            new("attestation", attestation),
            new("time", new DatetimeValue(now.ToUnixTimeMilliseconds())),
            new("risk", new RecordValue([new("score", LongValue.Of(0)), new("signals", SetValue.Empty)])),
        ]));
    }

    public PolicySet Policies { get; }

    public TaskTokenClaims Claims { get; }

    public CallRequest Call { get; }

    public CallDecider Decider { get; }

    public EntityStore Entities { get; }

    public Request Request { get; }

    private sealed class FixedPolicySet(PolicySnapshot snapshot) : IActivePolicySet
    {
        public PolicySnapshot Current => snapshot;
    }

    // The hot path hands records to the audit log's queue; here the queue is a sink, so only the decision is timed.
    private sealed class DiscardingAuditLog : IAuditLog
    {
        public Task RecordDurableAsync(AuditEvent auditEvent, CancellationToken cancellationToken) => Task.CompletedTask;

        public ValueTask RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class OneAgent(Agent agent) : IAgentStore
    {
        public Task<Agent?> GetAsync(string name, CancellationToken cancellationToken) => Task.FromResult<Agent?>(name == agent.Name ? agent : null);

        public Task<StoreResult> AddAsync(Agent agent, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Agent?> GetBySpiffeIdAsync(string spiffeId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<Agent>> ListAsync(string? owner, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<StoreResult<Agent>> SetStatusAsync(string name, AgentStatus status, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<StoreResult<Agent>> AddKeyAsync(string name, AgentKey key, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<StoreResult<Agent>> RemoveKeyAsync(string name, string kid, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class OneTask(TaskRecord task) : ITaskStore
    {
        public Task<TaskRecord?> GetAsync(string id, CancellationToken cancellationToken) => Task.FromResult<TaskRecord?>(id == task.Id ? task : null);

        public Task<StoreResult> AddAsync(TaskRecord task, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<TaskRecord>> ListAsync(TaskQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<StoreResult<TaskRecord>> EndAsync(string id, TaskState state, DateTimeOffset at, string endedBy, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<TaskRecord>> ListDescendantsAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<TaskRecord>> ExpireAsync(DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
