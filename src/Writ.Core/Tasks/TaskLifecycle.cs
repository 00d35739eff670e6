using Writ.Core.Admin;
using Writ.Core.Audit;
using Writ.Core.Domain;
using Writ.Core.Revocation;
using Writ.Core.Storage;

namespace Writ.Core.Tasks;

/// <summary>
/// Ending tasks: completion by the agent with its task token, cancellation by the owner or an admin,
/// expiry (lazily when tasks are read, and by a periodic sweep). Ending a task ends every task
/// delegated from it. Every end is recorded durably in the audit log.
/// </summary>
public sealed class TaskLifecycle
{
    /// <summary>Who ends descendants of an ended task.</summary>
    public const string CascadeActor = "system";

    private readonly IWritStore store;
    private readonly TaskTokenValidator tokens;
    private readonly DpopProofValidator dpop;
    private readonly StatusCache status;
    private readonly IAuditLog audit;
    private readonly TimeProvider time;
    private readonly TrustDomain trustDomain;
    private readonly RevocationCoordinator? revocations;
    private readonly TimeSpan clockSkew;

    /// <summary>Creates the lifecycle service; with <paramref name="revocations"/> every ended task id is announced as a task revocation.</summary>
    public TaskLifecycle(IWritStore store, TaskTokenValidator tokens, StatusCache status, IAuditLog audit, TaskOptions options, TrustDomain trustDomain, TimeProvider time, RevocationCoordinator? revocations = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.revocations = revocations;
        clockSkew = options.ClockSkew;
        this.trustDomain = trustDomain;
        this.store = store;
        this.tokens = tokens;
        this.status = status;
        this.audit = audit;
        this.time = time;
        dpop = new DpopProofValidator(store.ReplayCache, time, options.ClockSkew);
    }

    /// <summary>
    /// Completes the task of a token <see cref="AuthenticateAsync"/> accepted (and whose presentation the caller checked).
    /// </summary>
    public async Task<TaskEndResult> CompleteAsync(TaskTokenAuthentication authenticated, CancellationToken cancellationToken) =>
        authenticated is { Task: { } task, Claims: { } claims }
            ? await EndAsync(task, TaskState.Completed, claims.ActingAgent, null, AuditEventTypes.TaskCompleted, cancellationToken)
            : TaskEndResult.InvalidToken(authenticated.Error ?? "the task token was not accepted");

    /// <summary>
    /// Cancels the task of an accepted token on its agent's behalf (the work failed or was abandoned). Like an
    /// owner's cancel it ends every task delegated from it, and its leases with them.
    /// </summary>
    public async Task<TaskEndResult> CancelOwnAsync(TaskTokenAuthentication authenticated, CancellationToken cancellationToken) =>
        authenticated is { Task: { } task, Claims: { } claims }
            ? await EndAsync(task, TaskState.Cancelled, claims.ActingAgent, null, AuditEventTypes.TaskCancelled, cancellationToken, "cancelled by its agent")
            : TaskEndResult.InvalidToken(authenticated.Error ?? "the task token was not accepted");

    /// <summary>
    /// Checks a task token presented by the agent that holds it: valid, of a known task, its <c>jti</c> not revoked,
    /// and with a proof of its key for <paramref name="method"/> <paramref name="uri"/> (with <c>ath</c>) when it is
    /// DPoP-bound. The task may have ended; callers decide what that means.
    /// </summary>
    public async Task<TaskTokenAuthentication> AuthenticateAsync(string? token, string? dpopProof, string method, string uri, CancellationToken cancellationToken)
    {
        var validated = await tokens.ValidateAsync(token, null, cancellationToken);
        if (validated.Claims is not { } claims)
        {
            return new TaskTokenAuthentication(null, null, validated.Error!);
        }

        var task = await store.Tasks.GetAsync(claims.TaskId, cancellationToken);
        if (task is null || task.Agent != claims.AgentName || task.Audience != claims.Audience || task.Jkt != claims.Jkt)
        {
            return new TaskTokenAuthentication(null, null, "the token does not belong to a known task");
        }

        if (await store.Revocations.IsRevokedAsync(claims.Jti, time.GetUtcNow(), cancellationToken))
        {
            return new TaskTokenAuthentication(null, null, "the task token was revoked");
        }

        if (claims.Jkt is not null)
        {
            var (jkt, error) = await dpop.ValidateAsync(dpopProof, method, uri, token, cancellationToken);
            if (jkt is null || jkt != claims.Jkt)
            {
                return new TaskTokenAuthentication(null, null, error ?? "the DPoP proof's key is not the one the token is bound to") { InvalidProof = true };
            }
        }

        return new TaskTokenAuthentication(task, claims, null);
    }

    /// <summary>Cancels a task as <paramref name="caller"/> (an owner-scoped admin token only its owner's tasks).</summary>
    public async Task<AdminResult<TaskRecord>> CancelAsync(AdminCaller caller, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var found = await GetAsync(caller, id, cancellationToken);
        if (!found.Succeeded)
        {
            return found;
        }

        var ended = await EndAsync(found.Value!, TaskState.Cancelled, caller.Name, caller.Name, AuditEventTypes.TaskCancelled, cancellationToken);
        return ended.Task is { } task && ended.Error is null
            ? task
            : AdminError.Conflict("task_not_active", $"task '{id}' is already {TaskStateNames.Of(ended.Task?.State ?? TaskState.Cancelled)}");
    }

    /// <summary>One task, as <paramref name="caller"/> may see it.</summary>
    public async Task<AdminResult<TaskRecord>> GetAsync(AdminCaller caller, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (string.IsNullOrEmpty(id) || id.Length > 128)
        {
            return AdminError.NotFound("task_not_found", "no such task");
        }

        var task = await store.Tasks.GetAsync(id, cancellationToken);

        // An owner-scoped caller learns nothing about other owners' tasks, not even that they exist.
        if (task is null || !caller.MayManage(task.Owner))
        {
            return AdminError.NotFound("task_not_found", $"no task '{id}' visible to admin token '{caller.Name}'");
        }

        if (task.State == TaskState.Active && task.ExpiresAt <= time.GetUtcNow())
        {
            await ExpireDueAsync(cancellationToken);
            task = await store.Tasks.GetAsync(id, cancellationToken) ?? task;
        }

        return task;
    }

    /// <summary>Tasks visible to <paramref name="caller"/>, newest first.</summary>
    public async Task<AdminResult<IReadOnlyList<TaskRecord>>> ListAsync(AdminCaller caller, TaskQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit is < 1 or > 1000)
        {
            return AdminError.Invalid("invalid_limit", "'limit' must be from 1 to 1000");
        }

        if (caller.IsScoped)
        {
            if (query.Owner is not null && query.Owner != caller.Owner)
            {
                return AdminError.OwnerScopeOnly(caller);
            }

            query = query with { Owner = caller.Owner };
        }

        await ExpireDueAsync(cancellationToken);
        var tasks = await store.Tasks.ListAsync(query, cancellationToken);
        return AdminResult(tasks);
    }

    /// <summary>Marks every task past its expiry as expired and records each; returns how many.</summary>
    public async Task<int> ExpireDueAsync(CancellationToken cancellationToken)
    {
        var expired = await store.Tasks.ExpireAsync(time.GetUtcNow(), cancellationToken);
        foreach (var task in expired)
        {
            status.SetTask(task);
            await audit.RecordDurableAsync(Event(task, AuditEventTypes.TaskExpired, "expired", null), cancellationToken);
        }

        await AnnounceAsync(expired, CascadeActor, "task expired", cancellationToken);
        return expired.Count;
    }

    private async Task<TaskEndResult> EndAsync(TaskRecord task, TaskState state, string endedBy, string? adminActor, string eventType, CancellationToken cancellationToken, string? reason = null)
    {
        var now = time.GetUtcNow();
        if (task.State == TaskState.Active && task.ExpiresAt <= now)
        {
            await ExpireDueAsync(cancellationToken);
            return TaskEndResult.NotActive(await store.Tasks.GetAsync(task.Id, cancellationToken) ?? task);
        }

        var ended = await store.Tasks.EndAsync(task.Id, state, now, endedBy, cancellationToken);
        if (!ended.Succeeded)
        {
            return ended.Outcome == StoreOutcome.NotFound ? TaskEndResult.InvalidToken("no such task") : TaskEndResult.NotActive(ended.Value!);
        }

        status.SetTask(ended.Value!);
        await audit.RecordDurableAsync(Event(ended.Value!, eventType, TaskStateNames.Of(state), adminActor, reason), cancellationToken);
        var announced = new List<TaskRecord> { ended.Value! };
        foreach (var child in await store.Tasks.ListDescendantsAsync(task.Id, cancellationToken))
        {
            var cascaded = await store.Tasks.EndAsync(child.Id, TaskState.Cancelled, now, CascadeActor, cancellationToken);
            if (cascaded.Succeeded)
            {
                status.SetTask(cascaded.Value!);
                await audit.RecordDurableAsync(Event(cascaded.Value!, AuditEventTypes.TaskCancelled, "cancelled", null, $"ancestor task {task.Id} ended"), cancellationToken);
                announced.Add(cascaded.Value!);
            }
        }

        await AnnounceAsync(announced, adminActor ?? CascadeActor, "task " + TaskStateNames.Of(state), cancellationToken);
        return TaskEndResult.Ended(ended.Value!);
    }

    // Enforcement points that cache task tokens (the gateway's subscriber) learn of an ended task only from the
    // revocation stream; recording through the coordinator also ends the tasks' leases by the lease cascade.
    private async Task AnnounceAsync(IReadOnlyList<TaskRecord> ended, string actor, string cause, CancellationToken cancellationToken)
    {
        if (revocations is null || ended.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        var events = ended.Select(task => TaskRevoker.Event(task, now, cause, clockSkew)).ToList();
        await revocations.RecordAsync(events, new RevocationRequest(RevocationKind.Task, ended[0].Id, actor, null, cause), cancellationToken);
    }

    private AuditEvent Event(TaskRecord task, string type, string outcome, string? actor, string? reason = null)
    {
        var agent = SpiffeId.ForAgent(trustDomain, task.Agent).ToString();
        return new AuditEvent
        {
            Type = type,
            Agent = agent,
            Owner = task.Owner,
            TaskId = task.Id,
            Chain = [.. task.Chain, agent],
            Target = task.Audience,
            Decision = outcome,
            Reason = reason,
            Actor = actor,
        };
    }

    private static AdminResult<IReadOnlyList<TaskRecord>> AdminResult(IReadOnlyList<TaskRecord> tasks) => new(tasks, null);
}

/// <summary>A task token checked for the agent holding it: the task and the claims, or why not.</summary>
/// <param name="Task">The token's task (possibly no longer active).</param>
/// <param name="Claims">The validated claims.</param>
/// <param name="Error">Null when valid; else why not, in words safe to return.</param>
public sealed record TaskTokenAuthentication(TaskRecord? Task, TaskTokenClaims? Claims, string? Error)
{
    /// <summary>True when the token was refused for its DPoP proof (RFC 9449 <c>invalid_dpop_proof</c>), not for itself.</summary>
    public bool InvalidProof { get; init; }
}

/// <summary>The outcome of ending a task by its token.</summary>
/// <param name="Task">The task (ended, or as it was when it could not be ended).</param>
/// <param name="Error">Null on success; else <c>invalid_token</c> or <c>task_not_active</c>.</param>
/// <param name="Description">Why, in words safe to return.</param>
public sealed record TaskEndResult(TaskRecord? Task, string? Error, string? Description)
{
    internal static TaskEndResult Ended(TaskRecord task) => new(task, null, null);

    internal static TaskEndResult InvalidToken(string description) => new(null, "invalid_token", description);

    internal static TaskEndResult NotActive(TaskRecord task) => new(task, "task_not_active", $"the task is already {TaskStateNames.Of(task.State)}");
}
