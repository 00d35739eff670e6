namespace Writ.Core.Revocation;

/// <summary>One thing to revoke, and who asks.</summary>
/// <param name="Kind">What kind of thing.</param>
/// <param name="Subject">Which one: a jti, task id, agent name or SPIFFE ID, owner, connection, key id or lease id.</param>
/// <param name="Actor">Who asks, as recorded in the audit log (an admin token name, a client, <c>system</c>).</param>
/// <param name="ActorOwner">When set, the actor may only revoke what belongs to this owner.</param>
/// <param name="Cause">Why, in a few words; shown to enforcement points, so never a secret.</param>
/// <param name="TokenExpiresAt">For a token: its own expiry when known (otherwise the longest token lifetime is assumed).</param>
public sealed record RevocationRequest(
    RevocationKind Kind,
    string Subject,
    string Actor,
    string? ActorOwner = null,
    string? Cause = null,
    DateTimeOffset? TokenExpiresAt = null);
