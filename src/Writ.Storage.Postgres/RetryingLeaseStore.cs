using Writ.Core.Leases;
using Writ.Core.Storage;
using static Writ.Storage.Postgres.BrokenConnectionRetry;

namespace Writ.Storage.Postgres;

/// <summary>The lease store with one more try on a broken session (see <see cref="BrokenConnectionRetry"/>).</summary>
internal sealed class RetryingLeaseStore(ILeaseStore inner) : ILeaseStore
{
    public Task<StoreResult> AddAsync(Lease lease, CancellationToken cancellationToken) => RunAsync(() => inner.AddAsync(lease, cancellationToken));

    public Task<Lease?> GetAsync(string id, CancellationToken cancellationToken) => RunAsync(() => inner.GetAsync(id, cancellationToken));

    public Task<IReadOnlyList<Lease>> ListAsync(LeaseQuery query, CancellationToken cancellationToken) => RunAsync(() => inner.ListAsync(query, cancellationToken));

    public Task<StoreResult<Lease>> RenewAsync(string id, DateTimeOffset expiresAt, DateTimeOffset at, CancellationToken cancellationToken) =>
        RunAsync(() => inner.RenewAsync(id, expiresAt, at, cancellationToken));

    // A use counted twice after a lost acknowledgement overstates the count by one, which errs on the side of reporting.
    public Task<StoreResult<Lease>> RecordUseAsync(string id, CancellationToken cancellationToken) => RunAsync(() => inner.RecordUseAsync(id, cancellationToken));

    public Task<StoreResult<Lease>> AddUsesAsync(string id, long count, CancellationToken cancellationToken) => RunAsync(() => inner.AddUsesAsync(id, count, cancellationToken));

    public Task<StoreResult<Lease>> EndAsync(string id, LeaseState state, DateTimeOffset at, string reason, CancellationToken cancellationToken) =>
        RunAsync(() => inner.EndAsync(id, state, at, reason, cancellationToken));

    public Task<StoreResult<Lease>> RecordRevocationFailureAsync(string id, string error, DateTimeOffset at, DateTimeOffset nextAttemptAt, string reason, CancellationToken cancellationToken) =>
        RunAsync(() => inner.RecordRevocationFailureAsync(id, error, at, nextAttemptAt, reason, cancellationToken));

    public Task<IReadOnlyList<Lease>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) => RunAsync(() => inner.ListDueAsync(now, limit, cancellationToken));

    public Task<long> CountAsync(LeaseState state, CancellationToken cancellationToken) => RunAsync(() => inner.CountAsync(state, cancellationToken));
}
