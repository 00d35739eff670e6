namespace Writ.Core.Revocation;

/// <summary>
/// Follows a recorded revocation to what it implies: an agent's tasks, a task's leases and delegated
/// descendants, a connection's leases. The coordinator revokes each returned request with its own
/// revoker (and cascades again), so a chain of any depth ends, each link recorded once.
/// </summary>
public interface IRevocationCascade
{
    /// <summary>What else must end because <paramref name="revocation"/> was recorded (empty when nothing).</summary>
    Task<IReadOnlyList<RevocationRequest>> FollowAsync(RevocationEvent revocation, RevocationRequest cause, CancellationToken cancellationToken);
}
