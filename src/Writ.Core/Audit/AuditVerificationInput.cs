namespace Writ.Core.Audit;

/// <summary>What a verification checks the records against.</summary>
public sealed record AuditVerificationInput
{
    /// <summary>The audit public key the caller trusts (ideally obtained out of band, not from the store being verified).</summary>
    public required AuditVerifierKey Key { get; init; }

    /// <summary>Every stored checkpoint (signed notes), in any order.</summary>
    public required IReadOnlyList<string> Checkpoints { get; init; }

    /// <summary>
    /// For a pruned log, the Merkle frontier of the pruned records: the records streamed start at its
    /// size, and a checkpoint of exactly that size must confirm it. Null when nothing was pruned.
    /// </summary>
    public MerkleFrontier? PrunedFrontier { get; init; }

    /// <summary>The tree size the store's head claims, when known: the log must end exactly there.</summary>
    public long? ExpectedTreeSize { get; init; }

    /// <summary>Told the number of records checked so far, every <see cref="ProgressInterval"/> records and at the end.</summary>
    public IProgress<long>? Progress { get; init; }

    /// <summary>How many records between progress reports (default 10,000).</summary>
    public int ProgressInterval { get; init; } = 10_000;
}
