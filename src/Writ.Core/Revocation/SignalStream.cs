namespace Writ.Core.Revocation;

/// <summary>
/// A Shared Signals stream as stored: where and how SETs go to one receiver, and how far into the
/// revocation event log the transmitter has turned events into SETs for it.
/// </summary>
/// <param name="Id">The <c>stream_id</c>.</param>
/// <param name="Audience">The <c>aud</c> of its SETs (the receiver).</param>
/// <param name="EventsRequested">Event type URIs the receiver asked for.</param>
/// <param name="DeliveryMethod">The delivery method URN (push or poll).</param>
/// <param name="EndpointUrl">Push: the receiver's URL; poll: the transmitter's poll URL.</param>
/// <param name="ProtectedAuthorization">Push: the receiver's <c>authorization_header</c>, sealed under the root key; never returned.</param>
/// <param name="Status"><c>enabled</c>, <c>paused</c> or <c>disabled</c>.</param>
/// <param name="StatusReason">Why the status was last changed, when given.</param>
/// <param name="Description">The receiver's description.</param>
/// <param name="CreatedBy">The admin token name that created it.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When its configuration or status last changed.</param>
/// <param name="Cursor">The id of the last revocation event turned into SETs (or skipped) for this stream.</param>
public sealed record SignalStream(
    string Id,
    string Audience,
    IReadOnlyList<string> EventsRequested,
    string DeliveryMethod,
    string? EndpointUrl,
    byte[]? ProtectedAuthorization,
    string Status,
    string? StatusReason,
    string? Description,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Cursor);
