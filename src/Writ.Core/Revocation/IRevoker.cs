using Writ.Core.Admin;

namespace Writ.Core.Revocation;

/// <summary>
/// Ends one kind of thing (a token, an agent, a task, …) in its own store and says which revocation
/// events that makes. One implementation per <see cref="RevocationKind"/>, registered with the
/// <see cref="RevocationCoordinator"/>; tasks, leases and connections add theirs when they land.
/// </summary>
public interface IRevoker
{
    /// <summary>The kind this revoker handles.</summary>
    RevocationKind Kind { get; }

    /// <summary>
    /// Ends <see cref="RevocationRequest.Subject"/>, checking the actor may; returns the events to record
    /// (empty when it was already ended), or why it was refused.
    /// </summary>
    Task<RevokerResult> RevokeAsync(RevocationRequest request, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>The events a revoker made, or why it refused.</summary>
/// <param name="Events">Events to record (ids 0), the requested subject's first.</param>
/// <param name="Error">Why nothing was revoked.</param>
public readonly record struct RevokerResult(IReadOnlyList<RevocationEvent> Events, AdminError? Error)
{
    /// <summary>Wraps a refusal.</summary>
    public static implicit operator RevokerResult(AdminError error) => new([], error);
}
