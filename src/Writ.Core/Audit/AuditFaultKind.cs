namespace Writ.Core.Audit;

/// <summary>
/// What <see cref="AuditVerifier"/> found wrong. The kinds that name a mutation are told apart by the
/// sequence numbers inside the records' hashed bytes; once those were rewritten too, every mutation
/// inside a checkpoint interval shows as <see cref="Edited"/> for that interval.
/// </summary>
public enum AuditFaultKind
{
    /// <summary>
    /// A record's bytes changed: not a canonical record, not matching its stored leaf hash (exact
    /// sequence), or the records of a checkpoint interval not hashing to its signed root (the fault's
    /// sequence is the interval's first record and <see cref="AuditFault.UpTo"/> its end).
    /// </summary>
    Edited,

    /// <summary>Records are missing: the record at this position carries a later sequence number and the missing one does not follow.</summary>
    Deleted,

    /// <summary>Records are out of order: the record at this position carries a later sequence number and the missing one comes later.</summary>
    Reordered,

    /// <summary>An extra record: a record carries a sequence number that an earlier record already had.</summary>
    Inserted,

    /// <summary>The log ends before a signed checkpoint (or the store's head) says it should.</summary>
    Truncated,

    /// <summary>A stored checkpoint is malformed or not signed by the audit key.</summary>
    CheckpointInvalid,

    /// <summary>Two validly signed checkpoints disagree about the same tree size (a fork).</summary>
    CheckpointsInconsistent,

    /// <summary>The frontier kept for pruned records is malformed or does not match the checkpoint at its size.</summary>
    PrunedFrontierInvalid,

    /// <summary>The store's audit public key is not the verifier key the caller trusts.</summary>
    KeyMismatch,
}
