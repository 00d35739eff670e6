using System.Collections.Concurrent;
using System.Diagnostics;
using Writ.Cedar.Authorization;
using Writ.Cedar.Values;
using Writ.Core.Audit;
using Writ.Core.Domain;
using Writ.Core.Policy;

namespace Writ.Core.Tasks;

/// <summary>
/// The per-call decision, in process (for the server and the gateway; never for the agent): first the
/// built-in intent rules (a tool or target outside the task's declared intent, or data above its
/// sensitivity ceiling, is denied whatever the policies say), then the task and agent must still be
/// active, then Cedar decides <c>CallTool</c> (<c>ReadResource</c>, <c>GetPrompt</c>) with default deny.
/// Every decision is handed to the audit log; if the log refuses it, the call is denied.
/// </summary>
public sealed class CallDecider
{
    /// <summary>Most arguments a call may carry into the decision.</summary>
    public const int MaxArguments = 64;

    /// <summary>Longest argument value (as text) a call may carry into the decision.</summary>
    public const int MaxArgumentLength = 16 * 1024;

    private const int MaxCachedTasks = 10_000;
    private static readonly EntityUid CallUid = new(WritEntities.ToolCall, "call");
    private static readonly RecordValue NoRisk = RiskRecord(RiskSignals.None);

    private readonly IActivePolicySet policies;
    private readonly StatusCache status;
    private readonly IAuditLog audit;
    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<string, TaskEntities> taskEntities = new(StringComparer.Ordinal);

    /// <summary>Creates the decider.</summary>
    public CallDecider(IActivePolicySet policies, StatusCache status, IAuditLog audit, TimeProvider time)
    {
        this.policies = policies;
        this.status = status;
        this.audit = audit;
        this.time = time;
    }

    /// <summary>Decides one call of the task whose validated token claims are <paramref name="task"/>, and records the decision.</summary>
    public async ValueTask<CallDecision> DecideAsync(TaskTokenClaims task, CallRequest call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(call);
        var decision = await DecideCoreAsync(task, call, cancellationToken);
        try
        {
            await audit.RecordAsync(Event(task, call, decision), cancellationToken);
        }
        catch (AuditUnavailableException)
        {
            // Fail closed: a call whose decision cannot be recorded does not happen.
            return CallDecision.Deny(CallReasons.AuditUnavailable);
        }

        return decision;
    }

    private async ValueTask<CallDecision> DecideCoreAsync(TaskTokenClaims task, CallRequest call, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (task.ExpiresAt <= now)
        {
            return CallDecision.Deny(CallReasons.TaskExpired);
        }

        if (string.IsNullOrEmpty(call.Tool) || call.Tool.Length > 2048 || !TaskIntentParser.IsTarget(call.Target) || call.Risk.Score is < 0 or > 100)
        {
            return CallDecision.Deny(CallReasons.InvalidCall);
        }

        if (CheckIntent(task.Intent, call) is { } intentDenial)
        {
            return CallDecision.Deny(intentDenial);
        }

        var record = await status.GetTaskAsync(task.TaskId, cancellationToken);
        if (record is null)
        {
            return CallDecision.Deny(CallReasons.TaskUnknown);
        }

        if (record.State != TaskState.Active)
        {
            taskEntities.TryRemove(task.TaskId, out _);
            return CallDecision.Deny(CallReasons.TaskEnded(record.State));
        }

        if (!string.Equals(record.Agent, task.AgentName, StringComparison.Ordinal) || record.ExpiresAt <= now)
        {
            return CallDecision.Deny(record.ExpiresAt <= now ? CallReasons.TaskExpired : CallReasons.TaskMismatch);
        }

        var agent = await status.GetAgentAsync(task.AgentName, cancellationToken);
        if (agent is null)
        {
            return CallDecision.Deny(CallReasons.AgentUnknown);
        }

        if (agent.Status != AgentStatus.Active)
        {
            return CallDecision.Deny(CallReasons.AgentInactive(agent.Status));
        }

        var tags = WritEntities.ArgumentTags(call.Arguments, MaxArguments, MaxArgumentLength);
        if (tags is null)
        {
            return CallDecision.Deny(CallReasons.InvalidArguments);
        }

        var cached = Entities(task, agent);
        var (action, resource, resourceParent) = cached.Resource(call);
        var target = cached.Target(call.Target);
        var sensitivity = call.Sensitivity ?? task.Intent.Sensitivity;
        var entities = new List<Entity>(9) { cached.Agent, cached.Owner, cached.Task, resource, target, new(CallUid, null, null, tags) };
        if (resourceParent is not null)
        {
            entities.Add(resourceParent);
        }

        if (cached.User is not null)
        {
            entities.Add(cached.User);
        }

        var context = new RecordValue(
        [
            new("task", cached.Task.Uid),
            new("target", target.Uid),
            new("sensitivity", Names[(int)sensitivity]),
            new("sensitivityLevel", LongValue.Of((long)sensitivity)),
            new("call", CallUid),
            new("depth", cached.Depth),
            new("chain", cached.Chain),
            new("attestation", cached.Attestation),
            new("time", WritEntities.Time(now)),
            new("risk", ReferenceEquals(call.Risk, RiskSignals.None) ? NoRisk : RiskRecord(call.Risk)),
        ]);
        var response = Authorizer.IsAuthorized(new Request(cached.Agent.Uid, action, resource.Uid, context), policies.Current.Policies, new EntityStore(entities));
        return new CallDecision(
            response.IsAllowed,
            response.IsAllowed ? CallReasons.Permit : response.Reasons.Count > 0 ? CallReasons.Forbid : CallReasons.NoPermit,
            response.Reasons,
            response.Errors);
    }

    private static readonly StringValue[] Names = [new("public"), new("internal"), new("confidential"), new("restricted")];

    /// <summary>The built-in intent rule a call breaks, or null when it is within the declared intent.</summary>
    internal static string? CheckIntent(TaskIntent intent, CallRequest call)
    {
        if (call.Kind == CallKind.ToolCall)
        {
            var grant = intent.Find(call.Tool);
            if (grant is null)
            {
                return CallReasons.UndeclaredTool;
            }

            if (!Contains(grant.Targets, call.Target))
            {
                return CallReasons.UndeclaredTarget;
            }
        }
        else if (!intent.Tools.Any(g => Contains(g.Targets, call.Target)))
        {
            // Resources and prompts are not declared one by one; the system they come from must be.
            return CallReasons.UndeclaredTarget;
        }

        return call.Sensitivity is { } s && s > intent.Sensitivity ? CallReasons.SensitivityExceeded : null;
    }

    private static bool Contains(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i], value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private TaskEntities Entities(TaskTokenClaims task, Agent agent)
    {
        if (taskEntities.TryGetValue(task.TaskId, out var cached) && ReferenceEquals(cached.Record, agent) && ReferenceEquals(cached.Claims, task))
        {
            return cached;
        }

        if (taskEntities.Count >= MaxCachedTasks)
        {
            taskEntities.Clear();
        }

        var built = new TaskEntities(task, agent);
        taskEntities[task.TaskId] = built;
        return built;
    }

    private static RecordValue RiskRecord(RiskSignals risk) =>
        new([new("score", LongValue.Of(risk.Score)), new("signals", risk.Signals.Count == 0 ? SetValue.Empty : new SetValue(risk.Signals.Select(s => (Value)new StringValue(s))))]);

    private static AuditEvent Event(TaskTokenClaims task, CallRequest call, CallDecision decision)
    {
        var chain = new string[task.Chain.Count + 1];
        for (var i = 0; i < task.Chain.Count; i++)
        {
            chain[i] = task.Chain[i];
        }

        chain[^1] = task.ActingAgent;
        string[]? errors = null;
        if (decision.Errors.Count > 0)
        {
            errors = [.. decision.Errors.Select(e => e.PolicyId)];
        }

        return new AuditEvent
        {
            Type = AuditEventTypes.Decision,
            Agent = task.ActingAgent,
            Owner = task.Owner,
            TaskId = task.TaskId,
            Chain = chain,
            Target = call.Tool + " " + call.Target,
            Decision = decision.Allowed ? "allow" : "deny",
            Reason = decision.Reason,
            Policies = decision.Policies.Count == 0 ? null : decision.Policies,
            Errors = errors,
            TraceId = call.TraceId ?? Activity.Current?.TraceId.ToHexString(),
            Detail = new Dictionary<string, string>(2, StringComparer.Ordinal)
            {
                ["kind"] = call.Kind switch { CallKind.ResourceRead => "resource_read", CallKind.PromptGet => "prompt_get", _ => "tool_call" },
                ["depth"] = task.Depth.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };
    }

    /// <summary>The Cedar objects of one task that stay the same from call to call.</summary>
    private sealed class TaskEntities
    {
        private readonly ConcurrentDictionary<string, (Entity Resource, Entity? Parent)> resources = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, Entity> targets = new(StringComparer.Ordinal);

        public TaskEntities(TaskTokenClaims claims, Agent agent)
        {
            Claims = claims;
            Record = agent;
            Agent = WritEntities.AgentEntity(agent, claims.Attestation);
            Owner = WritEntities.OwnerEntity(agent.Owner);
            Task = WritEntities.TaskEntity(claims.TaskId, claims.Owner, claims.AgentName, claims.User, claims.Intent, claims.Chain);
            User = claims.User is null ? null : WritEntities.UserEntity(claims.User);
            Chain = WritEntities.ChainSet(claims.Chain);
            Depth = LongValue.Of(claims.Depth);
            Attestation = WritEntities.AttestationRecord(claims.Attestation);
        }

        public TaskTokenClaims Claims { get; }

        public Agent Record { get; }

        public Entity Agent { get; }

        public Entity Owner { get; }

        public Entity Task { get; }

        public Entity? User { get; }

        public SetValue Chain { get; }

        public LongValue Depth { get; }

        public RecordValue Attestation { get; }

        public Entity Target(string target) =>
            targets.Count < 256 ? targets.GetOrAdd(target, static t => new Entity(new EntityUid(WritEntities.Target, t))) : new Entity(new EntityUid(WritEntities.Target, target));

        public (EntityUid Action, Entity Resource, Entity? Parent) Resource(CallRequest call)
        {
            var key = call.Kind switch { CallKind.ResourceRead => "r:", CallKind.PromptGet => "p:", _ => "t:" } + call.Tool;
            var (resource, parent) = resources.Count < 256 ? resources.GetOrAdd(key, static (_, c) => Build(c), call) : Build(call);
            var action = call.Kind switch
            {
                CallKind.ResourceRead => WritEntities.ReadResource,
                CallKind.PromptGet => WritEntities.GetPrompt,
                _ => WritEntities.CallTool,
            };
            return (action, resource, parent);
        }

        private static (Entity, Entity?) Build(CallRequest call) => call.Kind switch
        {
            CallKind.ResourceRead => (new Entity(new EntityUid(WritEntities.Resource, call.Tool)), null),
            CallKind.PromptGet => (new Entity(new EntityUid(WritEntities.Prompt, call.Tool)), null),
            _ => WritEntities.ToolEntities(call.Tool),
        };
    }
}
