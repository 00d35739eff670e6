using System.Globalization;
using Writ.Core.Audit;
using Writ.Core.Storage;
using Writ.Core.Tasks;

namespace Writ.Core.Leases;

/// <summary>
/// The agent's own lease renewal: the holder of a task token extends a lease of that task, never past the lease's
/// <see cref="Lease.NotAfter"/> (the connection's maximum and the task's expiry) and never for a lease that has
/// ended. Only dynamic PostgreSQL roles are renewable: access tokens are exchanged again, brokered secrets never
/// reach the agent. Refusals are recorded (<c>lease.renewed</c>, decision <c>refused</c>).
/// </summary>
public sealed class TaskLeaseRenewal(IWritStore store, PostgresRoleLeases roles, IAuditLog audit, TimeProvider time)
{
    /// <summary>Renews <paramref name="leaseId"/> for the authenticated task by <paramref name="ttl"/> (null: as far as allowed).</summary>
    /// <returns>The renewed lease, or an error whose code is <c>invalid_token</c>, <c>lease_not_found</c>, <c>lease_not_active</c>, <c>not_renewable</c>, <c>renewal_refused</c>, <c>invalid_ttl</c> or <c>upstream_unavailable</c>.</returns>
    public async Task<(Lease? Lease, LeaseError? Error)> RenewAsync(TaskTokenAuthentication authentication, string leaseId, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authentication);
        if (authentication is not { Task: { } task, Claims: { } claims })
        {
            return (null, new LeaseError("invalid_token", "the task token is not valid: " + authentication.Error));
        }

        var now = time.GetUtcNow();
        if (task.State != TaskState.Active || task.ExpiresAt <= now)
        {
            return (null, new LeaseError("invalid_token", "the task is no longer active"));
        }

        // Another task's lease answers as if it did not exist.
        var lease = string.IsNullOrEmpty(leaseId) || leaseId.Length > 100 ? null : await store.Leases.GetAsync(leaseId, cancellationToken);
        if (lease is null || !string.Equals(lease.TaskId, task.Id, StringComparison.Ordinal))
        {
            return (null, new LeaseError("lease_not_found", "the task has no such lease"));
        }

        var refusal = lease.State != LeaseState.Active || lease.ExpiresAt <= now
            ? new LeaseError("lease_not_active", $"the lease is {LeaseNames.Of(lease.State == LeaseState.Active ? LeaseState.Expired : lease.State)}; ask for a new one")
            : lease.Kind != LeaseKind.PostgresRole
                ? new LeaseError("not_renewable", $"{LeaseNames.Of(lease.Kind)} leases are not renewed by the agent: exchange the task token again for a new access token; brokered secrets are Writ's to renew")
                : ttl is { } wanted && wanted <= TimeSpan.Zero
                    ? new LeaseError("invalid_ttl", "the lease lifetime must be positive")
                    : now >= lease.NotAfter || lease.ExpiresAt >= lease.NotAfter
                        ? new LeaseError("renewal_refused", $"the lease already reaches its limit {lease.NotAfter.ToString("O", CultureInfo.InvariantCulture)} (the connection's maximum or the task's expiry)")
                        : null;
        if (refusal is not null)
        {
            await RecordRefusalAsync(lease, claims, refusal, cancellationToken);
            return (null, refusal);
        }

        try
        {
            var (renewed, error) = await roles.RenewAsync(lease.Id, ttl ?? lease.NotAfter - now, cancellationToken);
            if (error is not null)
            {
                await RecordRefusalAsync(lease, claims, error, cancellationToken);
            }

            return (renewed, error);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            var error = new LeaseError("upstream_unavailable", $"the role's expiry could not be moved on its server ({ex.GetType().Name})", Unavailable: true);
            await RecordRefusalAsync(lease, claims, error, cancellationToken);
            return (null, error);
        }
    }

    private ValueTask RecordRefusalAsync(Lease lease, TaskTokenClaims claims, LeaseError error, CancellationToken cancellationToken) =>
        audit.RecordAsync(
            new AuditEvent
            {
                Type = AuditEventTypes.LeaseRenewed,
                Agent = claims.ActingAgent,
                Owner = lease.Owner,
                TaskId = lease.TaskId,
                Target = lease.Connection is null ? "lease:" + lease.Id : "connection:" + lease.Connection,
                Decision = "refused",
                Reason = error.Code + ": " + error.Detail,
                Detail = new Dictionary<string, string> { ["lease"] = lease.Id, ["kind"] = LeaseNames.Of(lease.Kind) },
            },
            cancellationToken);
}
