using Writ.Core.Leases;

namespace Writ.Core.Storage;

/// <summary>Leases: every just-in-time credential and its state.</summary>
public interface ILeaseStore
{
    /// <summary>Adds a lease; <see cref="StoreOutcome.AlreadyExists"/> when its id is taken.</summary>
    Task<StoreResult> AddAsync(Lease lease, CancellationToken cancellationToken);

    /// <summary>The lease with <paramref name="id"/>, or null.</summary>
    Task<Lease?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Leases matching <paramref name="query"/>, oldest issued first (ties by id).</summary>
    Task<IReadOnlyList<Lease>> ListAsync(LeaseQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Moves an active lease's expiry to <paramref name="expiresAt"/> (never past its <see cref="Lease.NotAfter"/>);
    /// <see cref="StoreOutcome.NotFound"/> when it is missing, no longer active, or the expiry is beyond its limit.
    /// </summary>
    Task<StoreResult<Lease>> RenewAsync(string id, DateTimeOffset expiresAt, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Counts one use of an active lease; <see cref="StoreOutcome.NotFound"/> unless it is active.</summary>
    Task<StoreResult<Lease>> RecordUseAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Adds <paramref name="count"/> uses counted in memory to a lease, whatever its state (the uses happened while it
    /// was active); <see cref="StoreOutcome.NotFound"/> when it is missing.
    /// </summary>
    Task<StoreResult<Lease>> AddUsesAsync(string id, long count, CancellationToken cancellationToken);

    /// <summary>
    /// Ends an active or failed-revocation lease in <paramref name="state"/> (revoked or expired);
    /// <see cref="StoreOutcome.NotFound"/> when it is missing or already ended.
    /// </summary>
    Task<StoreResult<Lease>> EndAsync(string id, LeaseState state, DateTimeOffset at, string reason, CancellationToken cancellationToken);

    /// <summary>
    /// Records a failed revocation: the lease becomes <see cref="LeaseState.FailedRevocation"/>, its attempts
    /// grow by one and the reaper tries again at <paramref name="nextAttemptAt"/>. NotFound when it already ended.
    /// </summary>
    Task<StoreResult<Lease>> RecordRevocationFailureAsync(string id, string error, DateTimeOffset at, DateTimeOffset nextAttemptAt, string reason, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> leases the reaper must handle at <paramref name="now"/>: active ones past their
    /// expiry and failed revocations whose next attempt is due, soonest first.
    /// </summary>
    Task<IReadOnlyList<Lease>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>How many leases are in <paramref name="state"/>.</summary>
    Task<long> CountAsync(LeaseState state, CancellationToken cancellationToken);
}
