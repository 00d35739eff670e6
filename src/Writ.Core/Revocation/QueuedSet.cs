namespace Writ.Core.Revocation;

/// <summary>A signed Security Event Token waiting for delivery on a stream (pushed, or polled and acknowledged).</summary>
/// <param name="Jti">The SET's <c>jti</c>, unique per stream.</param>
/// <param name="Token">The compact JWS.</param>
/// <param name="CreatedAt">When it was queued.</param>
public sealed record QueuedSet(string Jti, string Token, DateTimeOffset CreatedAt);
