namespace Writ.Core.Audit;

/// <summary>
/// An audit log that spends a token id and records what it bought in one durable commit: the
/// issuance path then pays for one transaction and one wait instead of a replay-cache commit
/// followed by an audit commit.
/// </summary>
public interface IClaimingAuditLog : IAuditLog
{
    /// <summary>
    /// Records <paramref name="claim"/> in the replay cache and, in the same durable transaction,
    /// <paramref name="whenFirst"/> when the claim was the first of its scope and id, or
    /// <paramref name="whenReplayed"/> when it was recorded before (in this batch, by another
    /// transaction or by another process). Completes once that transaction committed, with whether the
    /// claim was first; when the record cannot be made durable it throws
    /// <see cref="AuditUnavailableException"/> and the claim is not kept either.
    /// </summary>
    Task<bool> RecordDurableClaimingAsync(ReplayClaim claim, AuditEvent whenFirst, AuditEvent whenReplayed, CancellationToken cancellationToken);
}
