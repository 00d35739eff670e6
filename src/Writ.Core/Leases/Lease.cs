namespace Writ.Core.Leases;

/// <summary>One just-in-time credential: what was issued, for which task, agent and owner, from which connection, until when, and its state.</summary>
/// <param name="Id">Unique id (<c>lse_…</c>).</param>
/// <param name="Kind">What was issued.</param>
/// <param name="TaskId">The task it belongs to.</param>
/// <param name="Agent">The agent it was issued to (name).</param>
/// <param name="Owner">The accountable owner.</param>
/// <param name="Connection">The connection it came from (name); null for access tokens.</param>
/// <param name="Subject">What names the credential upstream: the role name, the token's jti, the injected header.</param>
/// <param name="IssuedAt">When it was issued.</param>
/// <param name="ExpiresAt">When it ends unless renewed.</param>
/// <param name="NotAfter">The latest <see cref="ExpiresAt"/> any renewal may reach: the connection's maximum and the task's expiry.</param>
/// <param name="RenewedAt">The last renewal, if any.</param>
/// <param name="EndedAt">When it ended (or its first revocation attempt failed).</param>
/// <param name="State">Its state.</param>
/// <param name="EndReason">Why it ended: <c>expired</c>, <c>task completed</c>, <c>connection removed</c>, …</param>
/// <param name="RevocationAttempts">Failed revocation attempts so far.</param>
/// <param name="LastError">The last revocation error (never a secret).</param>
/// <param name="NextAttemptAt">When the reaper tries a failed revocation again.</param>
/// <param name="Uses">How many times it was used (brokered secrets).</param>
public sealed record Lease(
    string Id,
    LeaseKind Kind,
    string TaskId,
    string Agent,
    string Owner,
    string? Connection,
    string? Subject,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset NotAfter,
    DateTimeOffset? RenewedAt,
    DateTimeOffset? EndedAt,
    LeaseState State,
    string? EndReason,
    int RevocationAttempts,
    string? LastError,
    DateTimeOffset? NextAttemptAt,
    long Uses)
{
    /// <summary>The reason stored for leases ended by the reaper at their expiry.</summary>
    public const string ExpiredReason = "expired";

    /// <summary>A new active lease.</summary>
    public static Lease Issue(string id, LeaseKind kind, string taskId, string agent, string owner, string? connection, string? subject, DateTimeOffset issuedAt, DateTimeOffset expiresAt, DateTimeOffset notAfter) =>
        new(id, kind, taskId, agent, owner, connection, subject, issuedAt, expiresAt, notAfter, null, null, LeaseState.Active, null, 0, null, null, 0);
}
