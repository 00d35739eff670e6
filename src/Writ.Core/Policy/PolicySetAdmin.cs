using System.Globalization;
using Writ.Core.Admin;
using Writ.Core.Audit;
using Writ.Core.Storage;

namespace Writ.Core.Policy;

/// <summary>
/// Applies, lists and activates versions of Writ's own policy set. A set is validated against
/// <see cref="WritSchema"/> before it is stored; an invalid one is refused and the active set stays. Only an
/// unscoped admin token may change the policy set, since it decides for every owner.
/// </summary>
public sealed class PolicySetAdmin(IWritStore store, ActivePolicySet active, IAuditLog audit, TimeProvider time)
{
    /// <summary>Validates and stores <paramref name="files"/> as the next version; activates it when <paramref name="activate"/>.</summary>
    public async Task<PolicyApplyResult> ApplyAsync(AdminCaller caller, IReadOnlyList<PolicyFile> files, string? description, bool activate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(files);
        if (caller.IsScoped)
        {
            return Refused(AdminError.OwnerScopeOnly(caller));
        }

        if (description is { Length: > 1000 })
        {
            return Refused(AdminError.Invalid("invalid_description", "'description' has at most 1000 characters"));
        }

        var compiled = PolicyCompiler.Compile(files, WritSchema.Schema);
        if (!compiled.Succeeded)
        {
            return new PolicyApplyResult(null, false, compiled.Errors, compiled.Warnings, null);
        }

        // Stored inactive first: the version only takes effect after its audit records are durable.
        var now = time.GetUtcNow();
        var version = await store.Policies.AddPolicySetAsync(files, description, now, caller.Name, activate: false, cancellationToken);
        await audit.RecordDurableAsync(Event(AuditEventTypes.PolicySetApplied, caller, version.Version, "applied", description), cancellationToken);
        if (activate)
        {
            await ActivateStoredAsync(caller, version.Version, compiled.Policies!, cancellationToken);
        }

        return new PolicyApplyResult(version, activate, [], compiled.Warnings, null);
    }

    /// <summary>Makes a stored version the active one (a rollback when it is older).</summary>
    public async Task<PolicyApplyResult> ActivateAsync(AdminCaller caller, long version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsScoped)
        {
            return Refused(AdminError.OwnerScopeOnly(caller));
        }

        var stored = version > 0 ? await store.Policies.GetPolicySetAsync(version, cancellationToken) : null;
        if (stored is null)
        {
            return Refused(AdminError.NotFound("policy_set_not_found", $"there is no policy set version {version}; 'writ policy list' shows the stored versions"));
        }

        // Validated again: a version stored by an older release must still fit the schema this release decides with.
        var compiled = PolicyCompiler.Compile(stored.Files, WritSchema.Schema);
        if (!compiled.Succeeded)
        {
            return new PolicyApplyResult(null, false, compiled.Errors, compiled.Warnings, null);
        }

        await ActivateStoredAsync(caller, version, compiled.Policies!, cancellationToken);
        return new PolicyApplyResult(stored, true, [], compiled.Warnings, null);
    }

    /// <summary>Every version, newest first, and the active one.</summary>
    public async Task<(IReadOnlyList<PolicySetInfo> Versions, ActivePolicySetVersion? Active)> ListAsync(CancellationToken cancellationToken) =>
        (await store.Policies.ListPolicySetsAsync(cancellationToken), await store.Policies.GetActivePolicySetAsync(cancellationToken));

    /// <summary>One version with its files, and the active one.</summary>
    public async Task<(PolicySetVersion? Version, ActivePolicySetVersion? Active)> GetAsync(long version, CancellationToken cancellationToken) =>
        (version > 0 ? await store.Policies.GetPolicySetAsync(version, cancellationToken) : null, await store.Policies.GetActivePolicySetAsync(cancellationToken));

    private async Task ActivateStoredAsync(AdminCaller caller, long version, Writ.Cedar.Authorization.PolicySet policies, CancellationToken cancellationToken)
    {
        await audit.RecordDurableAsync(Event(AuditEventTypes.PolicySetActivated, caller, version, "activated", null), cancellationToken);
        var result = await store.Policies.ActivatePolicySetAsync(version, time.GetUtcNow(), caller.Name, cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"policy set version {version} vanished while being activated");
        }

        active.Activate(new PolicySnapshot(version, policies));
    }

    private static PolicyApplyResult Refused(AdminError error) => new(null, false, [], [], error);

    private static AuditEvent Event(string type, AdminCaller caller, long version, string outcome, string? reason) => new()
    {
        Type = type,
        Actor = caller.Name,
        Owner = caller.Owner,
        Target = "policy-set:" + version.ToString(CultureInfo.InvariantCulture),
        Decision = outcome,
        Reason = reason,
    };
}
