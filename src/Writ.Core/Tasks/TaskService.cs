using Writ.Cedar.Authorization;
using Writ.Cedar.Values;
using Writ.Core.Audit;
using Writ.Core.Domain;
using Writ.Core.Identity;
using Writ.Core.Keys;
using Writ.Core.Policy;
using Writ.Core.Security;
using Writ.Core.Storage;

namespace Writ.Core.Tasks;

/// <summary>
/// Task tokens by RFC 8693 token exchange. Starting a task: the agent's identity token as subject token
/// and a <c>writ_task</c> intent (RFC 9396); StartTask is decided per declared (tool, target) pair and the
/// allowed subset is granted. Delegating: a task token as subject token and the receiving agent's
/// identity token as actor token; the requested intent must lie within the parent's, the chain within
/// the depth limit, and Delegate must be allowed. Every issuance and refusal is recorded durably first.
/// A subject or actor token that is invalid or unacceptable is <c>invalid_request</c>, as RFC 8693 §2.2.2 requires.
/// </summary>
public sealed class TaskService
{
    /// <summary>Agent metadata key that lowers the longest task of one agent (ISO 8601 duration).</summary>
    public const string AgentMaxDurationKey = "max_task_duration";

    private readonly IWritStore store;
    private readonly ITokenServiceEndpoints endpoints;
    private readonly IActivePolicySet policies;
    private readonly IAuditLog audit;
    private readonly TaskOptions options;
    private readonly StatusCache status;
    private readonly TimeProvider time;
    private readonly AgentIdentityValidator identities;
    private readonly UserTokenValidator users;
    private readonly TaskTokenValidator taskTokens;
    private readonly DpopProofValidator dpop;
    private readonly TaskTokenIssuer issuer;

    /// <summary>Creates the service.</summary>
    public TaskService(IWritStore store, KeyRing keys, ITokenServiceEndpoints endpoints, TrustDomain trustDomain, ExternalJwksCache jwks, IActivePolicySet policies, IAuditLog audit, TaskOptions options, StatusCache status, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.store = store;
        this.endpoints = endpoints;
        this.policies = policies;
        this.audit = audit;
        this.options = options;
        this.status = status;
        this.time = time;
        identities = new AgentIdentityValidator(store, keys, endpoints, trustDomain, time);
        users = new UserTokenValidator(store, jwks, time, options.ClockSkew);
        taskTokens = new TaskTokenValidator(keys, endpoints, trustDomain, time);
        dpop = new DpopProofValidator(store.ReplayCache, time, options.ClockSkew);
        issuer = new TaskTokenIssuer(keys, endpoints);
    }

    /// <summary>
    /// True when a token request is for this service: a token exchange whose subject is an identity token
    /// with <c>authorization_details</c> (start), or whose subject is a task token (delegation).
    /// </summary>
    public static bool Handles(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!parameters.TryGetValue("grant_type", out var grant) || grant != TokenTypes.TokenExchangeGrant)
        {
            return false;
        }

        parameters.TryGetValue("subject_token_type", out var subjectType);
        return subjectType == TokenTypes.TaskToken
            || (subjectType == TokenTypes.Jwt && parameters.ContainsKey("authorization_details"));
    }

    /// <summary>Handles a task start or a delegation; <paramref name="dpopProof"/> is the DPoP header, if any.</summary>
    public Task<OAuthResult<IssuedTaskToken>> ExchangeAsync(IReadOnlyDictionary<string, string> parameters, string? dpopProof, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.TryGetValue("subject_token_type", out var subjectType);
        return subjectType == TokenTypes.TaskToken
            ? DelegateAsync(parameters, dpopProof, cancellationToken)
            : StartAsync(parameters, dpopProof, cancellationToken);
    }

    private async Task<OAuthResult<IssuedTaskToken>> StartAsync(IReadOnlyDictionary<string, string> parameters, string? dpopProof, CancellationToken cancellationToken)
    {
        if (CommonChecks(parameters) is { } malformed)
        {
            return malformed;
        }

        if (parameters.ContainsKey("actor_token") || parameters.ContainsKey("actor_token_type"))
        {
            return OAuthError.Request("'actor_token' is only for delegation, where the subject token is a task token");
        }

        var audience = RequestedAudience.From(parameters);
        if (!audience.Succeeded)
        {
            return audience.Error!;
        }

        var parsed = TaskIntentParser.ParseDetails(Get(parameters, "authorization_details"), options.MaxDuration);
        if (parsed.Intent is null)
        {
            return new OAuthError(TaskErrors.InvalidAuthorizationDetails, parsed.Error!);
        }

        var (identity, identityError) = await identities.ValidateAsync(Get(parameters, "subject_token"), "subject token", cancellationToken);
        if (identity is null)
        {
            return OAuthError.Request(identityError!);
        }

        var agent = identity.Agent;
        var intent = parsed.Intent;
        string? jkt = null;
        if (dpopProof is not null)
        {
            (jkt, var dpopError) = await dpop.ValidateAsync(dpopProof, "POST", endpoints.TokenEndpoint, null, cancellationToken);
            if (jkt is null)
            {
                return await RefuseStartAsync(agent, new OAuthError("invalid_dpop_proof", dpopError!), cancellationToken);
            }
        }

        TaskUser? user = null;
        if (Get(parameters, "user_token") is { } userToken)
        {
            (user, var userError) = await users.ValidateAsync(userToken, cancellationToken);
            if (user is null)
            {
                return await RefuseStartAsync(agent, OAuthError.Request("user token: " + userError), cancellationToken);
            }
        }

        var now = time.GetUtcNow();
        var duration = Shortest(intent.MaxDuration, options.MaxDuration, AgentMax(agent));
        var granted = DecideStart(identity, intent, duration, user, now);
        if (granted is null)
        {
            return await RefuseStartAsync(agent, new OAuthError(TaskErrors.InvalidAuthorizationDetails, "no declared (tool, target) pair is allowed by policy"), cancellationToken);
        }

        var taskId = RandomToken.Create(16);
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var expiresAt = issuedAt + TimeSpan.FromSeconds(Math.Floor(duration.TotalSeconds));
        var record = new TaskRecord(taskId, agent.Name, agent.Owner, user?.Id, granted, null, taskId, [], audience.Value!, TaskState.Active, issuedAt, expiresAt, null, null, jkt);
        var claims = new TaskTokenClaims
        {
            TaskId = taskId,
            Jti = RandomToken.Create(16),
            Audience = audience.Value!,
            Subject = user?.Subject ?? agent.SpiffeId.ToString(),
            ActingAgent = agent.SpiffeId.ToString(),
            AgentName = agent.Name,
            Chain = [],
            Owner = agent.Owner,
            Intent = granted,
            User = user,
            Attestation = identity.Attestation,
            Jkt = jkt,
            IssuedAt = issuedAt,
            ExpiresAt = expiresAt,
            Actors = user is null ? [] : [agent.SpiffeId.ToString()],
        };
        return await IssueAsync(record, claims, AuditEventTypes.TaskStarted, null, cancellationToken);
    }

    private async Task<OAuthResult<IssuedTaskToken>> DelegateAsync(IReadOnlyDictionary<string, string> parameters, string? dpopProof, CancellationToken cancellationToken)
    {
        if (CommonChecks(parameters) is { } malformed)
        {
            return malformed;
        }

        if (!parameters.TryGetValue("actor_token", out var actorToken) || Get(parameters, "actor_token_type") != TokenTypes.Jwt)
        {
            return OAuthError.Request($"delegation needs 'actor_token' (the receiving agent's identity token) with actor_token_type '{TokenTypes.Jwt}'");
        }

        if (parameters.ContainsKey("user_token"))
        {
            return OAuthError.Request("a delegated task acts for the user of its parent; 'user_token' is not accepted");
        }

        var audience = RequestedAudience.From(parameters);
        if (!audience.Succeeded)
        {
            return audience.Error!;
        }

        var parentResult = await taskTokens.ValidateAsync(Get(parameters, "subject_token"), null, cancellationToken);
        if (parentResult.Claims is not { } parent)
        {
            return OAuthError.Request("subject token: " + parentResult.Error);
        }

        var parentRecord = await store.Tasks.GetAsync(parent.TaskId, cancellationToken);
        var now = time.GetUtcNow();
        if (parentRecord is null || parentRecord.Agent != parent.AgentName || parentRecord.State != TaskState.Active || parentRecord.ExpiresAt <= now)
        {
            return OAuthError.Request("the subject token's task is not active");
        }

        // Revoking one task token leaves its task active, so the token itself must be checked.
        if (await store.Revocations.IsRevokedAsync(parent.Jti, now, cancellationToken))
        {
            return await RefuseDelegationAsync(parent, null, OAuthError.Request("the subject token was revoked"), cancellationToken);
        }

        var (actor, actorError) = await identities.ValidateAsync(actorToken, "actor token", cancellationToken);
        if (actor is null)
        {
            return await RefuseDelegationAsync(parent, null, OAuthError.Request(actorError!), cancellationToken);
        }

        var delegator = await store.Agents.GetAsync(parent.AgentName, cancellationToken);
        if (delegator is not { Status: AgentStatus.Active })
        {
            return await RefuseDelegationAsync(parent, actor, OAuthError.Request("the delegating agent is no longer active"), cancellationToken);
        }

        var remaining = parent.ExpiresAt - DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var parsed = TaskIntentParser.ParseDetails(Get(parameters, "authorization_details"), remaining);
        if (parsed.Intent is null)
        {
            return await RefuseDelegationAsync(parent, actor, new OAuthError(TaskErrors.InvalidAuthorizationDetails, parsed.Error!), cancellationToken);
        }

        var requested = parsed.Intent;
        if (IntentNarrowing.Widening(parent.Intent, requested, remaining) is { } widening)
        {
            return await RefuseDelegationAsync(parent, actor, new OAuthError(TaskErrors.InvalidAuthorizationDetails, widening), cancellationToken);
        }

        var depth = parent.Depth + 1;
        if (depth > options.MaxDelegationDepth)
        {
            return await RefuseDelegationAsync(parent, actor, new OAuthError(TaskErrors.AccessDenied, $"the delegation chain would be {depth} deep; at most {options.MaxDelegationDepth} is allowed"), cancellationToken);
        }

        string? jkt = null;
        if (dpopProof is not null || parent.Jkt is not null)
        {
            (jkt, var dpopError) = await dpop.ValidateAsync(dpopProof, "POST", endpoints.TokenEndpoint, null, cancellationToken);
            if (jkt is null || (parent.Jkt is not null && jkt != parent.Jkt))
            {
                return await RefuseDelegationAsync(parent, actor, new OAuthError("invalid_dpop_proof", dpopError ?? "a DPoP-bound task token is delegated only with a proof from its own key"), cancellationToken);
            }
        }

        var duration = Shortest(requested.MaxDuration, remaining, AgentMax(actor.Agent));
        var granted = requested with { MaxDuration = duration };
        if (!DecideDelegate(parent, delegator, actor, granted, depth, now))
        {
            return await RefuseDelegationAsync(parent, actor, new OAuthError(TaskErrors.AccessDenied, "policy does not allow this delegation"), cancellationToken);
        }

        var chain = new List<string>(parent.Chain) { parent.ActingAgent };
        var taskId = RandomToken.Create(16);
        var issuedAt = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var expiresAt = issuedAt + TimeSpan.FromSeconds(Math.Floor(duration.TotalSeconds));
        var b = actor.Agent;
        var record = new TaskRecord(taskId, b.Name, b.Owner, parentRecord.User, granted, parent.TaskId, parentRecord.RootId, chain, audience.Value!, TaskState.Active, issuedAt, expiresAt, null, null, jkt);
        var claims = new TaskTokenClaims
        {
            TaskId = taskId,
            Jti = RandomToken.Create(16),
            Audience = audience.Value!,
            Subject = parent.Subject,
            ActingAgent = b.SpiffeId.ToString(),
            AgentName = b.Name,
            Chain = chain,
            Owner = b.Owner,
            Intent = granted,
            User = parent.User,
            Attestation = actor.Attestation,
            ParentTaskId = parent.TaskId,
            Jkt = jkt,
            IssuedAt = issuedAt,
            ExpiresAt = expiresAt,
            Actors = [b.SpiffeId.ToString(), .. parent.Actors],
        };
        return await IssueAsync(record, claims, AuditEventTypes.TaskDelegated, parent, cancellationToken);
    }

    private async Task<OAuthResult<IssuedTaskToken>> IssueAsync(TaskRecord record, TaskTokenClaims claims, string eventType, TaskTokenClaims? parent, CancellationToken cancellationToken)
    {
        var added = await store.Tasks.AddAsync(record, cancellationToken);
        if (!added.Succeeded)
        {
            return OAuthError.Request("the task could not be recorded (its agent or parent no longer exists)");
        }

        try
        {
            await audit.RecordDurableAsync(
                new AuditEvent
                {
                    Type = eventType,
                    Agent = claims.ActingAgent,
                    Owner = record.Owner,
                    TaskId = record.Id,
                    Chain = [.. record.Chain, claims.ActingAgent],
                    Target = claims.Audience,
                    Decision = "issued",
                    Reason = record.Intent.Purpose,
                    Detail = Details(record, claims, parent),
                },
                cancellationToken);
        }
        catch (AuditUnavailableException)
        {
            // The token is never handed out, so the task must not stay usable either.
            var ended = await store.Tasks.EndAsync(record.Id, TaskState.Revoked, time.GetUtcNow(), "system", CancellationToken.None);
            if (ended.Value is not null)
            {
                status.SetTask(ended.Value);
            }

            throw;
        }

        var token = await issuer.SignAsync(claims, cancellationToken);
        return new IssuedTaskToken(token, record, (int)(record.ExpiresAt - record.CreatedAt).TotalSeconds, record.Jkt is not null);
    }

    private static Dictionary<string, string> Details(TaskRecord record, TaskTokenClaims claims, TaskTokenClaims? parent)
    {
        var detail = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["intent"] = record.Intent.ToJson(),
            ["jti"] = claims.Jti,
            ["exp"] = record.ExpiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["attestation"] = claims.Attestation.Method,
            ["depth"] = record.Depth.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (record.User is not null)
        {
            detail["user"] = record.User;
        }

        if (parent is not null)
        {
            detail["parent"] = parent.TaskId;
            detail["delegator"] = parent.ActingAgent;
        }

        return detail;
    }

    private async Task<OAuthResult<IssuedTaskToken>> RefuseStartAsync(Agent agent, OAuthError error, CancellationToken cancellationToken)
    {
        await audit.RecordDurableAsync(
            new AuditEvent
            {
                Type = AuditEventTypes.TaskRefused,
                Agent = agent.SpiffeId.ToString(),
                Owner = agent.Owner,
                Decision = "refused",
                Reason = error.Error + ": " + error.Description,
            },
            cancellationToken);
        return error;
    }

    private async Task<OAuthResult<IssuedTaskToken>> RefuseDelegationAsync(TaskTokenClaims parent, AgentIdentity? actor, OAuthError error, CancellationToken cancellationToken)
    {
        await audit.RecordDurableAsync(
            new AuditEvent
            {
                Type = AuditEventTypes.DelegationRefused,
                Agent = parent.ActingAgent,
                Owner = parent.Owner,
                TaskId = parent.TaskId,
                Chain = [.. parent.Chain, parent.ActingAgent],
                Target = actor?.Agent.SpiffeId.ToString(),
                Decision = "refused",
                Reason = error.Error + ": " + error.Description,
            },
            cancellationToken);
        return error;
    }

    /// <summary>StartTask per declared pair; the granted intent, or null when nothing is allowed.</summary>
    private TaskIntent? DecideStart(AgentIdentity identity, TaskIntent intent, TimeSpan duration, TaskUser? user, DateTimeOffset now)
    {
        var snapshot = policies.Current.Policies;
        var agentEntity = WritEntities.AgentEntity(identity.Agent, identity.Attestation);
        var entities = new List<Entity> { agentEntity, WritEntities.OwnerEntity(identity.Agent.Owner) };
        var toolsets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var grant in intent.Tools)
        {
            var (tool, toolset) = WritEntities.ToolEntities(grant.Tool);
            entities.Add(tool);
            if (toolsets.Add(grant.Toolset))
            {
                entities.Add(toolset);
            }
        }

        var targetUids = intent.Tools.SelectMany(g => g.Targets).Distinct(StringComparer.Ordinal).ToDictionary(t => t, t => new EntityUid(WritEntities.Target, t), StringComparer.Ordinal);
        entities.AddRange(targetUids.Values.Select(uid => new Entity(uid)));
        if (user is not null)
        {
            entities.Add(WritEntities.UserEntity(user));
        }

        var store = new EntityStore(entities);
        var common = new List<KeyValuePair<string, Value>>
        {
            new("purpose", new StringValue(intent.Purpose)),
            new("sensitivity", new StringValue(SensitivityNames.Of(intent.Sensitivity))),
            new("sensitivityLevel", LongValue.Of((long)intent.Sensitivity)),
            new("attestation", WritEntities.AttestationRecord(identity.Attestation)),
            new("time", WritEntities.Time(now)),
            new("duration", new DurationValue((long)duration.TotalMilliseconds)),
        };
        if (user is not null)
        {
            common.Add(new("user", new EntityUid(WritEntities.User, user.Id)));
        }

        var granted = new List<ToolGrant>();
        foreach (var grant in intent.Tools)
        {
            var toolUid = new EntityUid(WritEntities.Tool, grant.Tool);
            var allowed = new List<string>();
            foreach (var target in grant.Targets)
            {
                var context = new RecordValue([.. common, new("target", targetUids[target])]);
                if (Authorizer.IsAuthorized(new Request(agentEntity.Uid, WritEntities.StartTask, toolUid, context), snapshot, store).IsAllowed)
                {
                    allowed.Add(target);
                }
            }

            if (allowed.Count > 0)
            {
                granted.Add(new ToolGrant(grant.Tool, allowed));
            }
        }

        return granted.Count == 0 ? null : intent with { Tools = granted, MaxDuration = duration };
    }

    private bool DecideDelegate(TaskTokenClaims parent, Agent delegator, AgentIdentity receiver, TaskIntent requested, int depth, DateTimeOffset now)
    {
        var from = WritEntities.AgentEntity(delegator, parent.Attestation);
        var to = WritEntities.AgentEntity(receiver.Agent, receiver.Attestation);
        var task = WritEntities.TaskEntity(parent.TaskId, parent.Owner, parent.AgentName, parent.User, parent.Intent, parent.Chain);
        var entities = new List<Entity> { from, to, task, WritEntities.OwnerEntity(delegator.Owner) };
        if (delegator.Owner != receiver.Agent.Owner)
        {
            entities.Add(WritEntities.OwnerEntity(receiver.Agent.Owner));
        }

        if (parent.User is not null)
        {
            entities.Add(WritEntities.UserEntity(parent.User));
        }

        var context = new RecordValue(
        [
            new("task", task.Uid),
            new("tools", WritEntities.ToolSet(requested)),
            new("targets", WritEntities.TargetSet(requested)),
            new("sensitivity", new StringValue(SensitivityNames.Of(requested.Sensitivity))),
            new("sensitivityLevel", LongValue.Of((long)requested.Sensitivity)),
            new("depth", LongValue.Of(depth)),
            new("attestation", WritEntities.AttestationRecord(parent.Attestation)),
            new("time", WritEntities.Time(now)),
        ]);
        return Authorizer.IsAuthorized(new Request(from.Uid, WritEntities.Delegate, to.Uid, context), policies.Current.Policies, new EntityStore(entities)).IsAllowed;
    }

    private static OAuthError? CommonChecks(IReadOnlyDictionary<string, string> parameters)
    {
        if (!parameters.ContainsKey("subject_token"))
        {
            return OAuthError.Request("'subject_token' is required for token exchange");
        }

        if (parameters.TryGetValue("requested_token_type", out var requested) && requested != TokenTypes.TaskToken)
        {
            return OAuthError.Request($"a task request can only ask for '{TokenTypes.TaskToken}'");
        }

        if (parameters.ContainsKey("scope"))
        {
            return OAuthError.Request("tasks take their intent from 'authorization_details'; 'scope' is not used");
        }

        return null;
    }

    private static TimeSpan? AgentMax(Agent agent) =>
        agent.Metadata.TryGetValue(AgentMaxDurationKey, out var text) && TaskIntentParser.TryParseDuration(text, out var max) ? max : null;

    private static TimeSpan Shortest(TimeSpan a, TimeSpan b, TimeSpan? c)
    {
        var least = a < b ? a : b;
        return c is { } limit && limit < least ? limit : least;
    }

    private static string? Get(IReadOnlyDictionary<string, string> parameters, string name) =>
        parameters.TryGetValue(name, out var value) ? value : null;
}
