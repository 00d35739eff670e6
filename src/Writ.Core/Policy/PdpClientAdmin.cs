using Writ.Core.Admin;
using Writ.Core.Audit;
using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Core.Policy;

/// <summary>
/// Marks registered clients as PDP clients: only they (and admin tokens) may call the AuthZEN decision endpoints.
/// A client credential alone is not enough, so a gateway's or introspection caller's secret cannot query policies.
/// </summary>
public sealed class PdpClientAdmin(IWritStore store, IAuditLog audit, TimeProvider time)
{
    /// <summary>Allows <paramref name="client"/> to call the decision API.</summary>
    public async Task<AdminResult<PdpClientGrant>> GrantAsync(AdminCaller caller, string? client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsScoped)
        {
            return AdminError.OwnerScopeOnly(caller);
        }

        if (!ResourceName.IsValid(client))
        {
            return AdminError.Invalid("invalid_client", $"a client name is {ResourceName.Rule}");
        }

        var grant = new PdpClientGrant(client!, time.GetUtcNow(), caller.Name);
        await audit.RecordDurableAsync(new AuditEvent { Type = AuditEventTypes.AdminChange, Actor = caller.Name, Target = "pdp-client:" + client, Decision = "granted" }, cancellationToken);
        var result = await store.Policies.GrantPdpClientAsync(grant, cancellationToken);
        if (result.Outcome == StoreOutcome.ReferenceNotFound)
        {
            return AdminError.NotFound("client_not_found", $"there is no client named '{client}'; create it first with 'writ client create'");
        }

        return await store.Policies.GetPdpClientAsync(grant.Client, cancellationToken) ?? grant;
    }

    /// <summary>Withdraws the permission; null on success.</summary>
    public async Task<AdminError?> RevokeAsync(AdminCaller caller, string client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.IsScoped)
        {
            return AdminError.OwnerScopeOnly(caller);
        }

        await audit.RecordDurableAsync(new AuditEvent { Type = AuditEventTypes.AdminChange, Actor = caller.Name, Target = "pdp-client:" + client, Decision = "revoked" }, cancellationToken);
        var result = ResourceName.IsValid(client) ? await store.Policies.RevokePdpClientAsync(client, cancellationToken) : StoreResult.NotFound;
        return result.Succeeded ? null : AdminError.NotFound("pdp_client_not_found", $"client '{client}' is not a PDP client");
    }

    /// <summary>Every PDP client.</summary>
    public Task<IReadOnlyList<PdpClientGrant>> ListAsync(CancellationToken cancellationToken) => store.Policies.ListPdpClientsAsync(cancellationToken);
}
