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
    private static readonly StringValue[] Names = [new("public"), new("internal"), new("confidential"), new("restricted")];

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
    public ValueTask<CallDecision> DecideAsync(TaskTokenClaims task, CallRequest call, CancellationToken cancellationToken) =>
        DecideAsync(task, call, record: true, cancellationToken);

    /// <summary>
    /// Decides as <see cref="DecideAsync(TaskTokenClaims, CallRequest, CancellationToken)"/> does but records nothing:
    /// for showing what a task could use (a filtered list), never for a call that is about to happen.
    /// </summary>
    public ValueTask<CallDecision> PreviewAsync(TaskTokenClaims task, CallRequest call, CancellationToken cancellationToken) =>
        DecideAsync(task, call, record: false, cancellationToken);

    private ValueTask<CallDecision> DecideAsync(TaskTokenClaims task, CallRequest call, bool record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(call);
        var now = time.GetUtcNow();
        if (Precheck(task, call, now) is { } denied)
        {
            return Settle(record, task, call, denied, null, cancellationToken);
        }

        // The hot path: nothing changed through this process since the task's entities were checked, and
        // the statuses they were checked against are still within the cache window.
        var nowTicks = now.UtcTicks;
        var version = status.Version;
        if ((task.DecisionCache as TaskEntities ?? taskEntities.GetValueOrDefault(task.TaskId)) is { Valid: { } valid } known
            && valid.Version == version && status.Quiet && status.Fresh(valid.Task, nowTicks) && status.Fresh(valid.Agent, nowTicks))
        {
            if (!ReferenceEquals(task.DecisionCache, known))
            {
                task.DecisionCache = known;
            }

            CallShape? shape = null;
            var decision = valid.Task.Value.ExpiresAt <= now ? CallDecision.Deny(CallReasons.TaskExpired) : DecideInCedar(call, now, task, known, out shape);
            return Settle(record, task, call, decision, shape, cancellationToken);
        }

        if (status.TryGetTaskEntry(task.TaskId, nowTicks, out var taskEntry) && status.TryGetAgentEntry(task.AgentName, nowTicks, out var agentEntry))
        {
            var decision = Decide(task, call, now, taskEntry.Value, agentEntry.Value, out var shape, out var entities);
            if (entities is not null)
            {
                entities.Valid = new Validity(version, taskEntry, agentEntry);
                task.DecisionCache = entities;
            }

            return Settle(record, task, call, decision, shape, cancellationToken);
        }

        return DecideLoadingAsync(task, call, now, record, cancellationToken);
    }

    private async ValueTask<CallDecision> DecideLoadingAsync(TaskTokenClaims task, CallRequest call, DateTimeOffset now, bool record, CancellationToken cancellationToken)
    {
        var taskRecord = await status.GetTaskAsync(task.TaskId, cancellationToken);
        var agent = taskRecord is { State: TaskState.Active } ? await status.GetAgentAsync(task.AgentName, cancellationToken) : null;
        var decision = Decide(task, call, now, taskRecord, agent, out var shape, out _);
        return await Settle(record, task, call, decision, shape, cancellationToken);
    }

    private ValueTask<CallDecision> Settle(bool record, TaskTokenClaims task, CallRequest call, CallDecision decision, CallShape? shape, CancellationToken cancellationToken) =>
        record ? RecordAsync(task, call, decision, shape, cancellationToken) : ValueTask.FromResult(decision);

    private ValueTask<CallDecision> RecordAsync(TaskTokenClaims task, CallRequest call, CallDecision decision, CallShape? shape, CancellationToken cancellationToken)
    {
        ValueTask pending;
        try
        {
            pending = audit.RecordAsync(Event(task, call, decision, shape), cancellationToken);
        }
        catch (AuditUnavailableException)
        {
            // Fail closed: a call whose decision cannot be recorded does not happen.
            return ValueTask.FromResult(CallDecision.Deny(CallReasons.AuditUnavailable));
        }

        return pending.IsCompletedSuccessfully ? ValueTask.FromResult(decision) : AwaitRecordAsync(pending, decision);
    }

    private static async ValueTask<CallDecision> AwaitRecordAsync(ValueTask pending, CallDecision decision)
    {
        try
        {
            await pending;
            return decision;
        }
        catch (AuditUnavailableException)
        {
            return CallDecision.Deny(CallReasons.AuditUnavailable);
        }
    }

    /// <summary>The checks that need nothing but the token and the call: expiry, well-formedness, intent.</summary>
    private static CallDecision? Precheck(TaskTokenClaims task, CallRequest call, DateTimeOffset now)
    {
        if (task.ExpiresAt <= now)
        {
            return CallDecision.Deny(CallReasons.TaskExpired);
        }

        // A target must be one the intent declares, and declared targets were checked when the task was
        // granted, so an empty one is all that needs catching here.
        if (string.IsNullOrEmpty(call.Tool) || call.Tool.Length > 2048 || string.IsNullOrEmpty(call.Target) || call.Risk is null || call.Risk.Score is < 0 or > 100)
        {
            return CallDecision.Deny(CallReasons.InvalidCall);
        }

        return CheckIntent(task.Intent, call) is { } intentDenial ? CallDecision.Deny(intentDenial) : null;
    }

    private CallDecision Decide(TaskTokenClaims task, CallRequest call, DateTimeOffset now, TaskRecord? record, Agent? agent, out CallShape? shape, out TaskEntities? entities)
    {
        shape = null;
        entities = null;
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

        if (agent is null)
        {
            return CallDecision.Deny(CallReasons.AgentUnknown);
        }

        if (agent.Status != AgentStatus.Active)
        {
            return CallDecision.Deny(CallReasons.AgentInactive(agent.Status));
        }

        entities = Entities(task, agent);
        return DecideInCedar(call, now, task, entities, out shape);
    }

    private CallDecision DecideInCedar(CallRequest call, DateTimeOffset now, TaskTokenClaims task, TaskEntities cached, out CallShape? shape)
    {
        shape = null;
        var arguments = WritEntities.CountArguments(call.Arguments, MaxArguments, MaxArgumentLength);
        if (arguments < 0)
        {
            return CallDecision.Deny(CallReasons.InvalidArguments);
        }

        shape = cached.Shape(call);
        var sensitivity = call.Sensitivity ?? task.Intent.Sensitivity;
        var request = ReferenceEquals(call.Risk, RiskSignals.None)
            ? shape.RequestAt(now.ToUnixTimeSeconds(), sensitivity, cached)
            : shape.Build(now.ToUnixTimeSeconds(), sensitivity, RiskRecord(call.Risk), cached);
        Response response;
        var tags = CallTags.Show(call.Arguments, arguments);
        try
        {
            response = Authorizer.IsAuthorized(request, shape.Scoped(policies.Current.Policies, cached));
        }
        finally
        {
            tags.Reset();
        }

        return shape.Decision(response);
    }

    /// <summary>The built-in intent rule a call breaks, or null when it is within the declared intent.</summary>
    internal static string? CheckIntent(TaskIntent intent, CallRequest call)
    {
        var tools = intent.Tools;
        if (call.Kind == CallKind.ToolCall)
        {
            // Indexed loops: enumerating the interface would allocate on every call.
            ToolGrant? grant = null;
            for (var i = 0; i < tools.Count && grant is null; i++)
            {
                if (string.Equals(tools[i].Tool, call.Tool, StringComparison.Ordinal))
                {
                    grant = tools[i];
                }
            }

            if (grant is null)
            {
                return CallReasons.UndeclaredTool;
            }

            if (!Contains(grant.Targets, call.Target))
            {
                return CallReasons.UndeclaredTarget;
            }
        }
        else
        {
            // Resources and prompts are not declared one by one; the system they come from must be.
            var declared = false;
            for (var i = 0; i < tools.Count && !declared; i++)
            {
                declared = Contains(tools[i].Targets, call.Target);
            }

            if (!declared)
            {
                return CallReasons.UndeclaredTarget;
            }
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
        // Tokens of one task carry the same claims, so the entities are shared by task id.
        if (taskEntities.TryGetValue(task.TaskId, out var cached) && ReferenceEquals(cached.Record, agent))
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

    private static bool SameIds(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!string.Equals(a[i], b[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static RecordValue RiskRecord(RiskSignals risk) =>
        new([new("score", LongValue.Of(risk.Score)), new("signals", risk.Signals.Count == 0 ? SetValue.Empty : new SetValue(risk.Signals.Select(s => (Value)new StringValue(s))))]);

    private AuditEvent Event(TaskTokenClaims task, CallRequest call, CallDecision decision, CallShape? shape)
    {
        string[]? errors = null;
        if (decision.Errors.Count > 0)
        {
            errors = [.. decision.Errors.Select(e => e.PolicyId)];
        }

        // The per-task pieces (chain, detail) are built once; a call only adds its own facts.
        var audit = shape?.Audit ?? (task.DecisionCache as TaskEntities)?.Audit ?? AuditPieces.For(task);
        return new AuditEvent
        {
            Type = AuditEventTypes.Decision,
            Agent = task.ActingAgent,
            Owner = task.Owner,
            TaskId = task.TaskId,
            Chain = audit.Chain,
            Target = shape?.AuditTarget ?? call.Tool + " " + call.Target,
            Decision = decision.Allowed ? "allow" : "deny",
            Reason = decision.Reason,
            Policies = decision.Policies.Count == 0 ? null : decision.Policies,
            Errors = errors,
            TraceId = call.TraceId ?? Activity.Current?.TraceId.ToHexString(),
            Detail = audit.Detail[(int)call.Kind],
        };
    }

    /// <summary>A task's and its agent's cached statuses that a decision relied on, and the cache version then.</summary>
    private sealed record Validity(long Version, StatusCache.Entry<TaskRecord> Task, StatusCache.Entry<Agent> Agent);

    /// <summary>The parts of a task's decision records that do not change from call to call.</summary>
    private sealed class AuditPieces
    {
        private AuditPieces(string[] chain, IReadOnlyDictionary<string, string>[] detail)
        {
            Chain = chain;
            Detail = detail;
        }

        public string[] Chain { get; }

        public IReadOnlyDictionary<string, string>[] Detail { get; }

        public static AuditPieces For(TaskTokenClaims task)
        {
            var depth = task.Depth.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return new AuditPieces(
                [.. task.Chain, task.ActingAgent],
                [Kind("tool_call", depth), Kind("resource_read", depth), Kind("prompt_get", depth)]);
        }

        private static Dictionary<string, string> Kind(string kind, string depth) =>
            new(StringComparer.Ordinal) { ["kind"] = kind, ["depth"] = depth };
    }

    /// <summary>The Cedar objects of one task that stay the same from call to call.</summary>
    private sealed class TaskEntities
    {
        private const int MaxShapes = 256;
        private readonly ConcurrentDictionary<(CallKind, string, string), CallShape> shapes = new();
        private CallShape? lastShape;
        private Validity? valid;

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
            Audit = AuditPieces.For(claims);
        }

        public TaskTokenClaims Claims { get; }

        public Agent Record { get; }

        /// <summary>The statuses these entities were last checked against, and the cache version then.</summary>
        public Validity? Valid
        {
            get => Volatile.Read(ref valid);
            set => Volatile.Write(ref valid, value);
        }

        public Entity Agent { get; }

        public Entity Owner { get; }

        public Entity Task { get; }

        public Entity? User { get; }

        public SetValue Chain { get; }

        public LongValue Depth { get; }

        public RecordValue Attestation { get; }

        public AuditPieces Audit { get; }

        public CallShape Shape(CallRequest call)
        {
            // Calls of a task tend to repeat their tool and target: compare with the last one before hashing.
            var last = Volatile.Read(ref lastShape);
            if (last is not null && last.Matches(call))
            {
                return last;
            }

            var key = (call.Kind, call.Tool, call.Target);
            if (!shapes.TryGetValue(key, out var shape))
            {
                shape = new CallShape(this, call);
                shape = shapes.Count < MaxShapes ? shapes.GetOrAdd(key, shape) : shape;
            }

            Volatile.Write(ref lastShape, shape);
            return shape;
        }
    }

    /// <summary>
    /// One (task, kind, tool, target): its entity store, whose <c>ToolCall</c> carries the current call's
    /// arguments through <see cref="CallTags"/>, and its request, rebuilt when the second or the call's
    /// sensitivity changes (<c>context.time</c> has one-second resolution).
    /// </summary>
    private sealed class CallShape
    {
        private readonly EntityUid action;
        private readonly EntityUid resource;
        private readonly EntityUid target;
        private readonly CallKind kind;
        private readonly string tool;
        private readonly string targetName;
        private CachedRequest? cached;
        private CallDecision? lastDecision;
        private ScopedPolicies? scoped;

        public CallShape(TaskEntities task, CallRequest call)
        {
            kind = call.Kind;
            tool = call.Tool;
            targetName = call.Target;
            Entity resourceEntity;
            Entity? parent = null;
            switch (call.Kind)
            {
                case CallKind.ResourceRead:
                    action = WritEntities.ReadResource;
                    resourceEntity = new Entity(new EntityUid(WritEntities.Resource, call.Tool));
                    break;
                case CallKind.PromptGet:
                    action = WritEntities.GetPrompt;
                    resourceEntity = new Entity(new EntityUid(WritEntities.Prompt, call.Tool));
                    break;
                default:
                    action = WritEntities.CallTool;
                    (resourceEntity, parent) = WritEntities.ToolEntities(call.Tool);
                    break;
            }

            resource = resourceEntity.Uid;
            target = new EntityUid(WritEntities.Target, call.Target);
            AuditTarget = call.Tool + " " + call.Target;
            Audit = task.Audit;
            var entities = new List<Entity>(9) { task.Agent, task.Owner, task.Task, resourceEntity, new(target), new(CallUid, null, null, CallTags.View) };
            if (parent is not null)
            {
                entities.Add(parent);
            }

            if (task.User is not null)
            {
                entities.Add(task.User);
            }

            Entities = new EntityStore(entities);
        }

        public EntityStore Entities { get; }

        public string AuditTarget { get; }

        /// <summary>The decision for <paramref name="response"/>; the same object as last time when the outcome is the same.</summary>
        public CallDecision Decision(Response response)
        {
            var last = Volatile.Read(ref lastDecision);
            if (last is not null && last.Allowed == response.IsAllowed && response.Errors.Count == 0 && last.Errors.Count == 0 && SameIds(last.Policies, response.Reasons))
            {
                return last;
            }

            var decision = new CallDecision(
                response.IsAllowed,
                response.IsAllowed ? CallReasons.Permit : response.Reasons.Count > 0 ? CallReasons.Forbid : CallReasons.NoPermit,
                response.Reasons,
                response.Errors);
            Volatile.Write(ref lastDecision, decision);
            return decision;
        }

        public bool Matches(CallRequest call) =>
            call.Kind == kind && string.Equals(call.Tool, tool, StringComparison.Ordinal) && string.Equals(call.Target, targetName, StringComparison.Ordinal);

        public AuditPieces Audit { get; }

        /// <summary>
        /// The policies of <paramref name="set"/> whose scopes match this shape's agent, action and resource,
        /// selected once per policy set: every call of the shape asks Cedar about the same three entities in the
        /// same store, so only the conditions need evaluating per call.
        /// </summary>
        public ScopedPolicies Scoped(PolicySet set, TaskEntities task)
        {
            var current = Volatile.Read(ref scoped);
            if (current is not null && current.IsFor(set, Entities))
            {
                return current;
            }

            current = Authorizer.Scope(set, Entities, task.Agent.Uid, action, resource);
            Volatile.Write(ref scoped, current);
            return current;
        }

        public Request RequestAt(long second, Sensitivity sensitivity, TaskEntities task)
        {
            var current = Volatile.Read(ref cached);
            if (current is not null && current.Second == second && current.Sensitivity == sensitivity)
            {
                return current.Request;
            }

            var request = Build(second, sensitivity, NoRisk, task);
            Volatile.Write(ref cached, new CachedRequest(second, sensitivity, request));
            return request;
        }

        public Request Build(long second, Sensitivity sensitivity, RecordValue risk, TaskEntities task) =>
            new(task.Agent.Uid, action, resource, new RecordValue(
            [
                new("task", task.Task.Uid),
                new("target", target),
                new("sensitivity", Names[(int)sensitivity]),
                new("sensitivityLevel", LongValue.Of((long)sensitivity)),
                new("call", CallUid),
                new("depth", task.Depth),
                new("chain", task.Chain),
                new("attestation", task.Attestation),
                new("time", new DatetimeValue(second * 1000)),
                new("risk", risk),
            ]));

        private sealed record CachedRequest(long Second, Sensitivity Sensitivity, Request Request);
    }
}
