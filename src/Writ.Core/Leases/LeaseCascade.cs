using Writ.Core.Revocation;
using Writ.Core.Storage;

namespace Writ.Core.Leases;

/// <summary>A revoked task or connection takes its leases with it: one lease request per lease not yet ended.</summary>
public sealed class LeaseCascade(IWritStore store) : IRevocationCascade
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<RevocationRequest>> FollowAsync(RevocationEvent revocation, RevocationRequest cause, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        ArgumentNullException.ThrowIfNull(cause);
        var query = revocation.Kind switch
        {
            RevocationKind.Task => new LeaseQuery(TaskId: revocation.Subject),
            RevocationKind.Connection => new LeaseQuery(Connection: revocation.Subject),
            _ => null,
        };
        if (query is null)
        {
            return [];
        }

        var requests = new List<RevocationRequest>();
        foreach (var state in new[] { LeaseState.Active, LeaseState.FailedRevocation })
        {
            foreach (var lease in await store.Leases.ListAsync(query with { State = state, Limit = 100_000 }, cancellationToken))
            {
                // The cascade acts for the system: the actor's scope was checked on the task or connection.
                requests.Add(new RevocationRequest(RevocationKind.Lease, lease.Id, cause.Actor, null, revocation.Cause ?? cause.Cause));
            }
        }

        return requests;
    }
}
