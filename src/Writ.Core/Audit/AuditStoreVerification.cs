namespace Writ.Core.Audit;

/// <summary>What <see cref="AuditStoreVerifier"/> found, with what it was checked against.</summary>
public sealed record AuditStoreVerification
{
    /// <summary>The verification outcome.</summary>
    public required AuditVerificationResult Result { get; init; }

    /// <summary>The verifier key the checkpoints were checked with, or null for an empty log that has no key yet.</summary>
    public AuditVerifierKey? Key { get; init; }

    /// <summary>True when the key came from the store being verified rather than from the caller.</summary>
    public bool KeyFromStore { get; init; }

    /// <summary>The tree size of the store's head.</summary>
    public long HeadTreeSize { get; init; }

    /// <summary>The signed note of the largest checkpoint, worth keeping elsewhere to catch a later truncation.</summary>
    public string? LatestCheckpoint { get; init; }
}
