using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Writ.Sdk;

/// <summary>
/// One running task of this agent: its task token (bound to a private key when DPoP was asked for) and
/// the intent Writ granted. Use it with <c>await using</c>:
/// <list type="bullet">
/// <item>disposing completes the task in Writ, so its token and any leases end at once;</item>
/// <item>after a failure call <see cref="FailAsync"/> (in a <c>catch</c>) so the task ends as failed and is not reported as done;</item>
/// <item>once Writ says the task is revoked, cancelled or expired, every use throws <see cref="TaskRevokedException"/>.</item>
/// </list>
/// </summary>
public sealed class AgentTask : IAsyncDisposable
{
    private readonly WritClient owner;
    private readonly string token;
    private readonly Lock gate = new();
    private AgentTaskState state = AgentTaskState.Active;
    private string? endReason;
    private TaskRevocationWatcher? watcher;

    private AgentTask(WritClient owner, string id, string token, bool dpop, DateTimeOffset expiresAt, string audience, JsonElement granted, DpopKey? key)
    {
        this.owner = owner;
        this.token = token;
        Id = id;
        IsKeyBound = dpop;
        ExpiresAt = expiresAt;
        Audience = audience;
        GrantedAuthorizationDetails = granted;
        Key = key;
        var claims = Jws.ReadPayload(token);
        DelegationChain = claims is { } c ? Actors(c) : [];
        Subject = claims is { } sc && sc.TryGetProperty("sub", out var sub) && sub.ValueKind == JsonValueKind.String ? sub.GetString() : null;
        ParentTaskId = claims is { } p && p.TryGetProperty("writ_parent", out var parent) && parent.ValueKind == JsonValueKind.String ? parent.GetString() : null;
    }

    /// <summary>The task's id in Writ.</summary>
    public string Id { get; }

    /// <summary>The audience the token was issued for (the gateway or API).</summary>
    public string Audience { get; }

    /// <summary>When the task token expires.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>True when the token is DPoP-bound: it is sent with the <c>DPoP</c> scheme and a fresh proof per request.</summary>
    public bool IsKeyBound { get; }

    /// <summary>The <c>authorization_details</c> Writ granted (may be narrower than asked).</summary>
    public JsonElement GrantedAuthorizationDetails { get; }

    /// <summary>
    /// The actors of the token's <c>act</c> claim, current actor first (RFC 8693 §4.1); empty for a task the agent
    /// started for itself. Read from the token, not verified: informational.
    /// </summary>
    public IReadOnlyList<string> DelegationChain { get; }

    /// <summary>
    /// The token's subject: on whose behalf the task runs (the starting agent, the delegating agent of a
    /// delegated task, or the user). Read from the token, not verified.
    /// </summary>
    public string? Subject { get; }

    /// <summary>The task this one was delegated from, if any.</summary>
    public string? ParentTaskId { get; }

    /// <summary>Where the task stands as far as this process knows.</summary>
    public AgentTaskState State
    {
        get
        {
            lock (gate)
            {
                return state;
            }
        }
    }

    /// <summary>The exception given to <see cref="FailAsync"/>, kept for the agent's own logs (never sent to Writ).</summary>
    public Exception? FailureReason { get; private set; }

    internal DpopKey? Key { get; }

    internal TimeProvider Time => owner.Time;

    /// <summary>
    /// The handler that attaches this task's token (and a DPoP proof per request when bound) to every request.
    /// Requests after the task ended throw <see cref="TaskRevokedException"/>; a 401 <c>invalid_token</c> answer ends the task.
    /// </summary>
    public WritTaskHandler CreateHandler(HttpMessageHandler? innerHandler = null) => new(this) { InnerHandler = innerHandler ?? new SocketsHttpHandler() };

    /// <summary>An <see cref="HttpClient"/> whose requests carry this task's token.</summary>
    public HttpClient CreateHttpClient(HttpMessageHandler? innerHandler = null) => new(CreateHandler(innerHandler), disposeHandler: true);

    /// <summary>
    /// Completes the task in Writ. Idempotent on this instance.
    /// </summary>
    /// <exception cref="TaskRevokedException">Writ had already ended the task.</exception>
    public Task CompleteAsync(CancellationToken cancellationToken = default) => EndAsync(AgentTaskState.Completed, cancellationToken);

    /// <summary>
    /// Ends the task after a failure, so its token and leases stop working now: Writ records it <c>cancelled</c> (by its
    /// agent), with every task delegated from it; this instance reports <see cref="AgentTaskState.Failed"/>.
    /// Never throws because the task had already ended.
    /// </summary>
    public async Task FailAsync(Exception? reason = null, CancellationToken cancellationToken = default)
    {
        FailureReason = reason;
        try
        {
            await EndAsync(AgentTaskState.Failed, cancellationToken).ConfigureAwait(false);
        }
        catch (TaskRevokedException)
        {
            // Already ended by Writ: the goal, a dead token, holds.
        }
    }

    /// <summary>
    /// Hands a narrower sub-task to another agent, whose client supplies its identity token (the actor token).
    /// The returned task belongs to that agent. Writ refuses widening (more tools, targets, sensitivity or time).
    /// </summary>
    public async Task<AgentTask> DelegateAsync(WritClient delegateAgent, TaskIntent narrowerIntent, string? audience = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delegateAgent);
        var actorToken = await delegateAgent.GetIdentityTokenAsync(cancellationToken).ConfigureAwait(false);
        return await DelegateCoreAsync(delegateAgent, actorToken, narrowerIntent, audience, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Hands a narrower sub-task to the agent whose identity token (issued for Writ) is <paramref name="agentIdentityToken"/>.
    /// The returned task is reached through this agent's client; give it to the sub-agent.
    /// </summary>
    public Task<AgentTask> DelegateAsync(string agentIdentityToken, TaskIntent narrowerIntent, string? audience = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agentIdentityToken);
        return DelegateCoreAsync(owner, agentIdentityToken, narrowerIntent, audience, cancellationToken);
    }

    /// <summary>
    /// Renews a lease Writ issued to this task (a dynamic database role), by <paramref name="ttl"/> or as far as allowed:
    /// never past the connection's maximum or the task's expiry.
    /// </summary>
    /// <exception cref="TaskRevokedException">The task is over.</exception>
    /// <exception cref="WritException">Writ refused: <c>lease_not_active</c>, <c>renewal_refused</c> (at its limit), <c>not_renewable</c>, <c>lease_not_found</c>.</exception>
    public async Task<LeaseRenewal> RenewLeaseAsync(string leaseId, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(leaseId);
        EnsureActive();
        var endpoint = (await owner.Http.GetEndpointsAsync(cancellationToken).ConfigureAwait(false)).LeaseRenewEndpoint(leaseId);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
        request.Headers.Authorization = Authorization();
        if (Key is not null)
        {
            request.Headers.Add("DPoP", Key.CreateProof("POST", endpoint, token));
        }

        if (ttl is { } wanted)
        {
            request.Content = JsonContent(wanted);
        }

        using var response = await owner.Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await WritHttp.ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw MarkRevoked(WritHttp.String(body, "error_description") ?? "Writ no longer accepts its token", 401);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new WritException(WritHttp.String(body, "code") ?? "server_error", WritHttp.String(body, "detail") ?? $"renewing the lease failed with {(int)response.StatusCode}", (int)response.StatusCode);
        }

        return new LeaseRenewal(
            WritHttp.String(body, "leaseId") ?? leaseId,
            body.TryGetProperty("expiresAt", out var expires) ? expires.GetDateTimeOffset() : default,
            body.TryGetProperty("notAfter", out var notAfter) ? notAfter.GetDateTimeOffset() : default);
    }

    /// <summary>Completes the task unless it already ended (see <see cref="FailAsync"/>). A task Writ already ended is not an error here.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await EndAsync(AgentTaskState.Completed, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TaskRevokedException)
        {
            // Disposal runs in finally blocks; a task Writ already ended must not hide the exception that is unwinding.
        }
        finally
        {
            if (watcher is not null)
            {
                await watcher.DisposeAsync().ConfigureAwait(false);
            }

            Key?.Dispose();
        }
    }

    /// <summary>The value of the Authorization header, or <see cref="TaskRevokedException"/> when the task ended.</summary>
    internal AuthenticationHeaderValue Authorization()
    {
        EnsureActive();
        return new AuthenticationHeaderValue(IsKeyBound ? "DPoP" : "Bearer", token);
    }

    internal string Token => token;

    internal void EnsureActive()
    {
        lock (gate)
        {
            if (state == AgentTaskState.Active && Time.GetUtcNow() >= ExpiresAt)
            {
                state = AgentTaskState.Revoked;
                endReason = "it expired";
            }

            if (state != AgentTaskState.Active)
            {
                throw new TaskRevokedException(Id, endReason ?? "it was " + state.ToString().ToLowerInvariant(), null);
            }
        }
    }

    /// <summary>Records that Writ refused the token; later uses throw.</summary>
    internal TaskRevokedException MarkRevoked(string description, int? status)
    {
        lock (gate)
        {
            if (state == AgentTaskState.Active)
            {
                state = AgentTaskState.Revoked;
                endReason = description;
            }
        }

        return new TaskRevokedException(Id, description, status);
    }

    internal static AgentTask FromResponse(WritClient owner, JsonElement body, string audience, DpopKey? key, bool followRevocations = true)
    {
        var token = WritHttp.String(body, "access_token");
        var id = WritHttp.String(body, "task_id");
        var type = WritHttp.String(body, "token_type");
        if (token is null || id is null || type is null || !body.TryGetProperty("expires_in", out var e) || !e.TryGetInt64(out var seconds))
        {
            throw new WritException("server_error", "Writ's task token response lacks access_token, task_id, token_type or expires_in");
        }

        var bound = string.Equals(type, "DPoP", StringComparison.OrdinalIgnoreCase);
        if (bound && key is null)
        {
            throw new WritException("server_error", "Writ issued a DPoP-bound token without a key to bind it to");
        }

        var granted = body.TryGetProperty("authorization_details", out var details) ? details.Clone() : default;
        var task = new AgentTask(owner, id, token, bound, owner.Time.GetUtcNow().AddSeconds(seconds), audience, granted, bound ? key : null);
        if (followRevocations)
        {
            task.watcher = new TaskRevocationWatcher(task, owner.Http, owner.Handler);
        }

        return task;
    }

    private async Task<AgentTask> DelegateCoreAsync(WritClient receiver, string actorToken, TaskIntent narrowerIntent, string? audience, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(narrowerIntent);
        EnsureActive();
        audience ??= Audience;
        var endpoints = await owner.Http.GetEndpointsAsync(cancellationToken).ConfigureAwait(false);
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", GrantTypes.TokenExchange),
            new("subject_token", token),
            new("subject_token_type", GrantTypes.TaskToken),
            new("actor_token", actorToken),
            new("actor_token_type", GrantTypes.Jwt),
            new("requested_token_type", GrantTypes.TaskToken),
            new("audience", audience),
            new("authorization_details", narrowerIntent.ToAuthorizationDetails()),
        };

        // Writ keeps a bound chain bound to the same key: the proof must come from this task's key.
        var proof = Key?.CreateProof("POST", endpoints.TokenEndpoint);
        var body = await owner.Http.PostTokenAsync(form, proof, static (e, d, s) => new WritException(e, d, s), cancellationToken).ConfigureAwait(false);
        return FromResponse(receiver, body, audience, Key is null ? null : Key.Share());
    }

    private async Task EndAsync(AgentTaskState outcome, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (state != AgentTaskState.Active)
            {
                if (state == AgentTaskState.Revoked)
                {
                    throw new TaskRevokedException(Id, endReason ?? "it was revoked", null);
                }

                return;
            }
        }

        var endpoints = await owner.Http.GetEndpointsAsync(cancellationToken).ConfigureAwait(false);
        var endpoint = outcome == AgentTaskState.Failed ? endpoints.CancelEndpoint : endpoints.CompleteEndpoint;
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint);
        request.Headers.Authorization = new AuthenticationHeaderValue(IsKeyBound ? "DPoP" : "Bearer", token);
        if (Key is not null)
        {
            request.Headers.Add("DPoP", Key.CreateProof("POST", endpoint, token));
        }

        using var response = await owner.Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            lock (gate)
            {
                state = outcome;
            }

            return;
        }

        var body = await WritHttp.ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Conflict)
        {
            var description = WritHttp.String(body, "error_description") ?? WritHttp.String(body, "detail") ?? "Writ no longer accepts its token";
            throw MarkRevoked(description, (int)response.StatusCode);
        }

        throw new WritException(WritHttp.String(body, "error") ?? "server_error", WritHttp.String(body, "error_description") ?? WritHttp.String(body, "detail") ?? $"completing the task failed with {(int)response.StatusCode}", (int)response.StatusCode);
    }

    private static StringContent JsonContent(TimeSpan ttl) =>
        new("{\"ttl\":\"PT" + ((long)Math.Ceiling(ttl.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture) + "S\"}", System.Text.Encoding.UTF8, "application/json");

    private static List<string> Actors(JsonElement claims)
    {
        var actors = new List<string>();
        var node = claims;
        while (actors.Count < 16 && node.ValueKind == JsonValueKind.Object && node.TryGetProperty("act", out var act) && act.ValueKind == JsonValueKind.Object)
        {
            if (act.TryGetProperty("sub", out var sub) && sub.ValueKind == JsonValueKind.String)
            {
                actors.Add(sub.GetString()!);
            }

            node = act;
        }

        return actors;
    }
}
