namespace Writ.Core.Leases;

/// <summary>Where a lease is in its life.</summary>
public enum LeaseState
{
    /// <summary>Issued and not yet ended.</summary>
    Active,

    /// <summary>Ended before its expiry (by its task, a human, or its connection's removal).</summary>
    Revoked,

    /// <summary>Ended at its expiry.</summary>
    Expired,

    /// <summary>Ending it failed upstream; the reaper retries with backoff and reports it as stuck.</summary>
    FailedRevocation,
}
