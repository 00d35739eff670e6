namespace Writ.Core.Audit;

/// <summary>
/// One stored record as the verifier reads it: its canonical bytes and, when the store keeps one,
/// the leaf hash it stored next to them (empty when none).
/// </summary>
public readonly record struct AuditLeaf(ReadOnlyMemory<byte> Canonical, ReadOnlyMemory<byte> StoredLeafHash);
