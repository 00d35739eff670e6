namespace Writ.Core.Audit;

/// <summary>A record, the latest checkpoint, and the record's inclusion proof in that checkpoint's tree (null when it does not cover the record yet).</summary>
public sealed record AuditEntryWithProof(AuditEntry Entry, StoredCheckpoint? Checkpoint, IReadOnlyList<byte[]>? InclusionProof);
