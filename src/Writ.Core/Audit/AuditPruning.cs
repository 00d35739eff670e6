namespace Writ.Core.Audit;

/// <summary>The rules every store applies to a prune, inside its transaction.</summary>
public static class AuditPruning
{
    /// <summary>
    /// Throws unless pruning below <paramref name="before"/> keeps the log verifiable: it is at or
    /// beyond the previous prune and within the log, a checkpoint signs that tree size, and a
    /// frontier of the pruned leaves is given.
    /// </summary>
    /// <exception cref="ArgumentException">The prune would lose signed history.</exception>
    public static void Check(AuditHead head, long before, byte[] frontierAtBefore, bool checkpointExists)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(frontierAtBefore);
        if (before < head.PrunedBefore || before > head.TreeSize)
        {
            throw new ArgumentException($"can only prune between the previous prune ({head.PrunedBefore}) and the tree size ({head.TreeSize})", nameof(before));
        }

        if (!checkpointExists)
        {
            throw new ArgumentException($"no checkpoint signs tree size {before}; prune only at a checkpoint", nameof(before));
        }

        if (before > 0 && frontierAtBefore.Length == 0)
        {
            throw new ArgumentException("the frontier of the pruned leaves is required", nameof(frontierAtBefore));
        }
    }
}
