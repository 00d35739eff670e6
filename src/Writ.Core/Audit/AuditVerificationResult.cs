namespace Writ.Core.Audit;

/// <summary>The outcome of <see cref="AuditVerifier"/>: the first fault, or what was proven.</summary>
public sealed record AuditVerificationResult
{
    /// <summary>The first fault found, or null when the log verified.</summary>
    public AuditFault? Fault { get; init; }

    /// <summary>True when no fault was found.</summary>
    public bool Verified => Fault is null;

    /// <summary>The sequence number of the first record that was present (what pruning left).</summary>
    public long PrunedBefore { get; init; }

    /// <summary>How many records were read and hashed.</summary>
    public long RecordsChecked { get; init; }

    /// <summary>The tree size reached (pruned records included); on a fault, how far the log verified.</summary>
    public long TreeSize { get; init; }

    /// <summary>The recomputed root hash at <see cref="TreeSize"/>.</summary>
    public byte[] RootHash { get; init; } = [];

    /// <summary>Checkpoints whose signature verified and whose root equals the recomputed root at their size.</summary>
    public int CheckpointsMatched { get; init; }

    /// <summary>Checkpoints below the pruning point: their signatures verified, but their roots cannot be recomputed.</summary>
    public int CheckpointsSignatureOnly { get; init; }

    /// <summary>The largest signed tree size, or null when no checkpoint exists.</summary>
    public long? LatestCheckpointSize { get; init; }

    /// <summary>Records after the latest checkpoint: they hash consistently but no signature covers them yet.</summary>
    public long UnsignedRecords { get; init; }
}
