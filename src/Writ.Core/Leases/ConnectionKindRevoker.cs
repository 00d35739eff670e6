using Writ.Core.Admin;
using Writ.Core.Connections;
using Writ.Core.Revocation;
using Writ.Core.Storage;

namespace Writ.Core.Leases;

/// <summary>
/// Revokes a connection for the <see cref="RevocationCoordinator"/>: one connection event, after which
/// <see cref="LeaseCascade"/> ends every lease drawn from it. The connection itself stays registered
/// (remove it to stop new leases).
/// </summary>
public sealed class ConnectionKindRevoker(IWritStore store) : IRevoker
{
    /// <inheritdoc />
    public RevocationKind Kind => RevocationKind.Connection;

    /// <inheritdoc />
    public async Task<RevokerResult> RevokeAsync(RevocationRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var connection = Domain.ResourceName.IsValid(request.Subject) ? await store.Connections.GetAsync(request.Subject, cancellationToken) : null;
        if (connection is null || (request.ActorOwner is not null && !string.Equals(request.ActorOwner, connection.Owner, StringComparison.Ordinal)))
        {
            return AdminError.NotFound("connection_not_found", $"connection '{(request.Subject.Length > 80 ? request.Subject[..80] : request.Subject)}' does not exist");
        }

        var longest = connection.Settings.MaxLeaseDuration ?? ConnectionRules.DefaultMaxLease;
        return new RevokerResult([new RevocationEvent(0, now, Kind, connection.Name, now + longest, request.Cause)], null);
    }
}
