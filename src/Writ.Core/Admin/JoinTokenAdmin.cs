using Writ.Core.Domain;
using Writ.Core.Identity;
using Writ.Core.Security;
using Writ.Core.Storage;

namespace Writ.Core.Admin;

/// <summary>One-time join tokens for agents.</summary>
public sealed class JoinTokenAdmin(IWritStore store, AgentAdmin agents, TimeProvider time)
{
    /// <summary>Default lifetime of a join token.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(10);

    /// <summary>Longest lifetime of a join token.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(24);

    /// <summary>Creates a join token for an agent; the token text is in the result only, never stored.</summary>
    public async Task<AdminResult<CreatedJoinToken>> CreateAsync(AdminCaller caller, string? agentName, string? ttl, CancellationToken cancellationToken)
    {
        if (AdminValidation.Name(agentName, "agent") is { } error)
        {
            return error;
        }

        var lifetime = DefaultLifetime;
        if (ttl is not null && (!Durations.TryParse(ttl, out lifetime) || lifetime > MaxLifetime))
        {
            return AdminError.Invalid("invalid_ttl", "'ttl' must be a duration up to 24 hours, e.g. PT10M or 600");
        }

        var found = await agents.GetAsync(caller, agentName!, cancellationToken);
        if (!found.Succeeded)
        {
            return found.Error!;
        }

        var agent = found.Value!;
        if (agent.Status != AgentStatus.Active)
        {
            return AdminError.Conflict("agent_not_active", $"agent '{agent.Name}' is {WireName.Of(agent.Status)}; only active agents can join");
        }

        if (!agent.AttestationMethods.Contains(AttestationMethod.JoinToken))
        {
            return AdminError.Conflict("attestation_method_not_allowed", $"agent '{agent.Name}' does not allow join_token attestation");
        }

        var now = time.GetUtcNow();
        var (id, token) = JoinTokenFormat.Create();
        var record = new JoinToken(id, agent.Name, SecretHash.Compute(token), now, now + lifetime, null, caller.Name);
        await ChangeLog.IntendAsync(store, caller, "join_token.create", agent.Name, "id=" + id, cancellationToken);
        var added = await store.JoinTokens.AddAsync(record, cancellationToken);
        if (!added.Succeeded)
        {
            return AdminError.Conflict("join_token_not_created", $"the join token for '{agent.Name}' could not be stored ({added.Outcome})");
        }

        await ChangeLog.RecordAsync(store, now, caller, "join_token.create", agent.Name, "id=" + id, cancellationToken);
        return new CreatedJoinToken(record, token);
    }
}

/// <summary>A stored join token and its text, shown once.</summary>
/// <param name="Record">What is stored (hash only).</param>
/// <param name="Token">The token text for the agent.</param>
public sealed record CreatedJoinToken(JoinToken Record, string Token);
