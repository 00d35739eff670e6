namespace Writ.Core.Audit;

/// <summary>A signed checkpoint as stored: the tree size and root it commits to, when it was signed, and the signed note text.</summary>
public sealed record StoredCheckpoint(long TreeSize, byte[] RootHash, DateTimeOffset SignedAt, string Note);
