namespace Writ.Core.Audit;

/// <summary>
/// An audit record as stored: its canonical bytes (the truth, hashed into the tree), its leaf hash,
/// and copies of the fields searches filter on. The copies are for indexes only; readers decode the
/// canonical bytes.
/// </summary>
public sealed record StoredAuditRecord(
    long Sequence,
    DateTimeOffset Time,
    string Type,
    string? Agent,
    string? Owner,
    string? TaskId,
    string? Decision,
    string? Actor,
    byte[] Canonical,
    byte[] LeafHash);
