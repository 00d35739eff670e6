using System.Text.Json;
using Writ.Core.Domain;
using Writ.Core.Identity;
using Writ.Core.Revocation;
using Writ.Core.Storage;

namespace Writ.Core.Admin;

/// <summary>Agents: registration, lifecycle and registered keys.</summary>
/// <remarks>With a <see cref="RevocationCoordinator"/>, suspending or retiring an agent is announced as an agent revocation.</remarks>
public sealed class AgentAdmin(IWritStore store, TrustDomain trustDomain, TimeProvider time, RevocationCoordinator? revocations = null)
{
    private const int MaxKeys = 10;
    private const int MaxMetadataEntries = 32;

    /// <summary>Registers an agent under an owner the caller may manage.</summary>
    public async Task<AdminResult<Agent>> RegisterAsync(AdminCaller caller, RegisterAgentRequest request, CancellationToken cancellationToken)
    {
        var error = AdminValidation.Name(request.Name, "name") ?? AdminValidation.Name(request.Owner, "owner");
        if (error is not null)
        {
            return error;
        }

        if (!caller.MayManage(request.Owner!))
        {
            return AdminError.OwnerScopeOnly(caller);
        }

        var methods = new List<AttestationMethod>();
        foreach (var text in request.AttestationMethods ?? ["join_token", "registered_key", "external_issuer"])
        {
            if (!WireName.TryParse(text, out AttestationMethod method))
            {
                return AdminError.Invalid("invalid_attestation_method", "'attestationMethods' may contain join_token, registered_key and external_issuer");
            }

            if (!methods.Contains(method))
            {
                methods.Add(method);
            }
        }

        var metadata = request.Metadata ?? new Dictionary<string, string>();
        if (metadata.Count > MaxMetadataEntries || metadata.Any(kv => kv.Key.Length is 0 or > 63 || kv.Value is null || kv.Value.Length > 256 || kv.Key.Any(char.IsControl) || kv.Value.Any(char.IsControl)))
        {
            return AdminError.Invalid("invalid_metadata", $"'metadata' holds at most {MaxMetadataEntries} string labels, names up to 63 and values up to 256 printable characters");
        }

        var now = time.GetUtcNow();
        var keys = new List<AgentKey>();
        foreach (var jwk in request.PublicKeys ?? [])
        {
            if (keys.Count == MaxKeys)
            {
                return AdminError.Invalid("too_many_keys", $"an agent has at most {MaxKeys} registered keys");
            }

            if (!AgentPublicKey.TryCreate(jwk, now, out var key, out var keyError))
            {
                return AdminError.Invalid("invalid_jwk", keyError!);
            }

            if (keys.Any(k => k.Kid == key!.Kid || k.Thumbprint == key.Thumbprint))
            {
                return AdminError.Invalid("duplicate_key", $"key '{key!.Kid}' is given twice");
            }

            keys.Add(key!);
        }

        if (await store.Owners.GetAsync(request.Owner!, cancellationToken) is null)
        {
            return AdminError.Invalid("owner_not_found", $"owner '{request.Owner}' does not exist; create it first with 'writ owner add {request.Owner}'");
        }

        var agent = new Agent(
            request.Name!,
            SpiffeId.ForAgent(trustDomain, request.Name!),
            request.Owner!,
            AgentStatus.Active,
            methods,
            new Dictionary<string, string>(metadata, StringComparer.Ordinal),
            keys,
            now,
            now);
        await ChangeLog.IntendAsync(store, caller, "agent.register", agent.Name, "owner=" + agent.Owner, cancellationToken);
        var added = await store.Agents.AddAsync(agent, cancellationToken);
        if (added.Outcome == StoreOutcome.AlreadyExists)
        {
            return AdminError.Conflict("agent_exists", $"agent '{request.Name}' already exists");
        }

        if (added.Outcome == StoreOutcome.ReferenceNotFound)
        {
            return AdminError.Invalid("owner_not_found", $"owner '{request.Owner}' does not exist");
        }

        await ChangeLog.RecordAsync(store, now, caller, "agent.register", agent.Name, "owner=" + agent.Owner, cancellationToken);
        return agent;
    }

    /// <summary>Lists agents, optionally of one owner; a scoped caller sees only its owner's.</summary>
    public async Task<AdminResult<IReadOnlyList<Agent>>> ListAsync(AdminCaller caller, string? owner, CancellationToken cancellationToken)
    {
        if (owner is not null && !caller.MayManage(owner))
        {
            return AdminError.OwnerScopeOnly(caller);
        }

        var agents = await store.Agents.ListAsync(owner ?? caller.Owner, cancellationToken);
        return new AdminResult<IReadOnlyList<Agent>>(agents, null);
    }

    /// <summary>One agent the caller may manage.</summary>
    public async Task<AdminResult<Agent>> GetAsync(AdminCaller caller, string name, CancellationToken cancellationToken)
    {
        var agent = ResourceName.IsValid(name) ? await store.Agents.GetAsync(name, cancellationToken) : null;
        if (agent is null)
        {
            return AdminError.NotFound("agent_not_found", $"agent '{name}' does not exist");
        }

        return caller.MayManage(agent.Owner) ? agent : AdminError.OwnerScopeOnly(caller);
    }

    /// <summary>Moves an agent to <paramref name="status"/>; retired is final.</summary>
    public async Task<AdminResult<Agent>> SetStatusAsync(AdminCaller caller, string name, AgentStatus status, CancellationToken cancellationToken)
    {
        var current = await GetAsync(caller, name, cancellationToken);
        if (!current.Succeeded)
        {
            return current;
        }

        var agent = current.Value!;
        if (agent.Status == status)
        {
            return agent;
        }

        if (agent.Status == AgentStatus.Retired)
        {
            return AdminError.Conflict("agent_retired", $"agent '{name}' is retired; retirement is final");
        }

        var now = time.GetUtcNow();
        await ChangeLog.IntendAsync(store, caller, "agent." + WireName.Of(status), name, null, cancellationToken);
        var updated = await store.Agents.SetStatusAsync(name, status, now, cancellationToken);
        if (!updated.Succeeded)
        {
            return AdminError.NotFound("agent_not_found", $"agent '{name}' does not exist");
        }

        await ChangeLog.RecordAsync(store, now, caller, "agent." + WireName.Of(status), name, null, cancellationToken);
        if (status != AgentStatus.Active && revocations is not null)
        {
            // Every token the agent holds ends with it; enforcement points learn it from the event.
            var revocation = revocations.NewEvent(RevocationKind.Agent, agent.SpiffeId.ToString(), "agent " + WireName.Of(status));
            await revocations.RecordAsync([revocation], new RevocationRequest(RevocationKind.Agent, agent.SpiffeId.ToString(), caller.Name, caller.Owner, revocation.Cause), cancellationToken);
        }

        return updated.Value!;
    }

    /// <summary>Registers one more public key for the agent.</summary>
    public async Task<AdminResult<Agent>> AddKeyAsync(AdminCaller caller, string name, JsonElement? jwk, CancellationToken cancellationToken)
    {
        var current = await GetAsync(caller, name, cancellationToken);
        if (!current.Succeeded)
        {
            return current;
        }

        var now = time.GetUtcNow();
        if (jwk is not { } value)
        {
            return AdminError.Invalid("missing_jwk", "'jwk' is required: a public EC P-256 JWK");
        }

        if (!AgentPublicKey.TryCreate(value, now, out var key, out var keyError))
        {
            return AdminError.Invalid("invalid_jwk", keyError!);
        }

        if (current.Value!.PublicKeys.Count >= MaxKeys)
        {
            return AdminError.Conflict("too_many_keys", $"an agent has at most {MaxKeys} registered keys");
        }

        await ChangeLog.IntendAsync(store, caller, "agent.key.add", name, "kid=" + key!.Kid, cancellationToken);
        var updated = await store.Agents.AddKeyAsync(name, key!, now, cancellationToken);
        if (updated.Outcome == StoreOutcome.AlreadyExists)
        {
            return AdminError.Conflict("key_exists", $"agent '{name}' already has a key with kid '{key!.Kid}' or the same thumbprint");
        }

        if (!updated.Succeeded)
        {
            return AdminError.NotFound("agent_not_found", $"agent '{name}' does not exist");
        }

        await ChangeLog.RecordAsync(store, now, caller, "agent.key.add", name, "kid=" + key!.Kid, cancellationToken);
        return updated.Value!;
    }

    /// <summary>Removes a registered key (for example after a compromise); assertions signed by it stop working at once.</summary>
    public async Task<AdminResult<Agent>> RemoveKeyAsync(AdminCaller caller, string name, string kid, CancellationToken cancellationToken)
    {
        var current = await GetAsync(caller, name, cancellationToken);
        if (!current.Succeeded)
        {
            return current;
        }

        if (!current.Value!.PublicKeys.Any(k => string.Equals(k.Kid, kid, StringComparison.Ordinal)))
        {
            return AdminError.NotFound("key_not_found", $"agent '{name}' has no key with kid '{(kid.Length > 64 ? kid[..64] : kid)}'");
        }

        var now = time.GetUtcNow();
        await ChangeLog.IntendAsync(store, caller, "agent.key.remove", name, "kid=" + kid, cancellationToken);
        var updated = await store.Agents.RemoveKeyAsync(name, kid, now, cancellationToken);
        if (!updated.Succeeded)
        {
            return AdminError.NotFound("key_not_found", $"agent '{name}' has no key with kid '{kid}'");
        }

        await ChangeLog.RecordAsync(store, now, caller, "agent.key.remove", name, "kid=" + kid, cancellationToken);
        return updated.Value!;
    }
}
