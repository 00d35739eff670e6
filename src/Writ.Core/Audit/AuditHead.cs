namespace Writ.Core.Audit;

/// <summary>
/// Where the log stands: how many records were ever appended, the serialized Merkle frontier of all
/// of them, and what pruning removed (records below <see cref="PrunedBefore"/> are gone; the frontier
/// of those leaves is <see cref="PrunedFrontier"/>, empty when nothing was pruned).
/// </summary>
public sealed record AuditHead(long TreeSize, byte[] Frontier, long PrunedBefore, byte[] PrunedFrontier)
{
    /// <summary>The head of a log that has no records.</summary>
    public static AuditHead Empty { get; } = new(0, [], 0, []);
}
