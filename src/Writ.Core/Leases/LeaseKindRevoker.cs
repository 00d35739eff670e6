using Writ.Core.Admin;
using Writ.Core.Revocation;
using Writ.Core.Storage;

namespace Writ.Core.Leases;

/// <summary>
/// Revokes one lease for the <see cref="RevocationCoordinator"/> (directly, or cascaded from its task or
/// connection): takes the credential back and reports one lease event. A lease whose upstream
/// revocation failed still gets its event; the reaper keeps retrying the upstream part.
/// </summary>
public sealed class LeaseKindRevoker(IWritStore store, LeaseRevoker revoker) : IRevoker
{
    /// <inheritdoc />
    public RevocationKind Kind => RevocationKind.Lease;

    /// <inheritdoc />
    public async Task<RevokerResult> RevokeAsync(RevocationRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var lease = request.Subject.Length > 100 ? null : await store.Leases.GetAsync(request.Subject, cancellationToken);
        if (lease is null || (request.ActorOwner is not null && !string.Equals(request.ActorOwner, lease.Owner, StringComparison.Ordinal)))
        {
            return AdminError.NotFound("lease_not_found", $"lease '{(request.Subject.Length > 80 ? request.Subject[..80] : request.Subject)}' does not exist");
        }

        if (lease.State is LeaseState.Revoked or LeaseState.Expired)
        {
            return new RevokerResult([], null);
        }

        var ended = await revoker.RevokeAsync(lease, request.Cause ?? "revoked by " + request.Actor, cancellationToken);
        var expiresAt = ended.ExpiresAt > now ? ended.ExpiresAt : now;
        return new RevokerResult([new RevocationEvent(0, now, Kind, lease.Id, expiresAt, request.Cause)], null);
    }
}
