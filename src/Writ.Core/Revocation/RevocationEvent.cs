namespace Writ.Core.Revocation;

/// <summary>
/// One entry of the ordered revocation event log. Enforcement points apply events in <see cref="Id"/>
/// order and may forget an event after <see cref="ExpiresAt"/>, when every token it ends has expired anyway.
/// </summary>
/// <param name="Id">Store-assigned, strictly increasing; 0 before the event is stored.</param>
/// <param name="At">When it was revoked; tokens issued at or before this instant are ended.</param>
/// <param name="Kind">What was revoked.</param>
/// <param name="Subject">Which one: a jti, task id, agent SPIFFE ID, owner, connection name, key id or lease id.</param>
/// <param name="ExpiresAt">The latest expiry of any token the event ends.</param>
/// <param name="Cause">Why, in a few words (never a secret).</param>
public sealed record RevocationEvent(long Id, DateTimeOffset At, RevocationKind Kind, string Subject, DateTimeOffset ExpiresAt, string? Cause);
