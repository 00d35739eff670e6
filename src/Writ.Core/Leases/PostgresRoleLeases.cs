using System.Globalization;
using Writ.Core.Audit;
using Writ.Core.Connections;
using Writ.Core.Security;
using Writ.Core.Storage;

namespace Writ.Core.Leases;

/// <summary>
/// Dynamic PostgreSQL roles as leases. The lease is stored before the role is created, so a crash
/// between the two leaves a lease the reaper ends (dropping a role that may exist) rather than an
/// untracked role.
/// </summary>
public sealed class PostgresRoleLeases(IWritStore store, ConnectionSecrets secrets, IPostgresRoleProvisioner provisioner, LeaseRevoker revoker, IAuditLog audit, TimeProvider time)
{
    /// <summary>Creates a role for the task and returns its connection string once.</summary>
    public async Task<(IssuedRole? Issued, LeaseError? Error)> IssueAsync(LeaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var connection = await store.Connections.GetAsync(request.Connection, cancellationToken);
        if (connection is null || !string.Equals(connection.Owner, request.Owner, StringComparison.Ordinal))
        {
            return (null, new LeaseError("connection_not_found", $"connection '{request.Connection}' does not exist for owner '{request.Owner}'"));
        }

        if (connection.Kind != ConnectionKind.PostgresAdmin)
        {
            return (null, new LeaseError("wrong_connection_kind", $"connection '{request.Connection}' is {ConnectionKinds.Of(connection.Kind)}, not postgres_admin"));
        }

        var now = time.GetUtcNow();
        if (LeaseLimits.Compute(request, connection, now, out var expiresAt, out var notAfter) is { } limitError)
        {
            return (null, limitError);
        }

        var target = PostgresTargets.TryOpen(connection, secrets);
        if (target is null)
        {
            return (null, new LeaseError("secret_unreadable", $"the admin password of connection '{request.Connection}' cannot be decrypted with the configured KEKs"));
        }

        var role = "writ_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(10));
        var password = RandomToken.Create();
        var lease = Lease.Issue("lse_" + RandomToken.Create(16), LeaseKind.PostgresRole, request.TaskId, request.Agent, request.Owner, connection.Name, role, now, expiresAt, notAfter);
        await store.Leases.AddAsync(lease, cancellationToken);
        try
        {
            await provisioner.CreateRoleAsync(target, role, password, expiresAt, GrantTemplate.GrantStatements(connection.Settings.Grants ?? [], role), cancellationToken);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            await revoker.RevokeAsync(lease, "role creation failed", CancellationToken.None);
            return (null, new LeaseError("upstream_unavailable", $"the role could not be created on {target.Host}:{target.Port} ({ex.GetType().Name})", Unavailable: true));
        }

        await audit.RecordDurableAsync(Event(AuditEventTypes.LeaseIssued, lease), cancellationToken);
        return (new IssuedRole(lease, role, provisioner.ConnectionString(target, role, password)), null);
    }

    /// <summary>Extends an active role lease by <paramref name="ttl"/> from now, never past its limit.</summary>
    public async Task<(Lease? Lease, LeaseError? Error)> RenewAsync(string leaseId, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var lease = await store.Leases.GetAsync(leaseId, cancellationToken);
        if (lease is not { State: LeaseState.Active, Kind: LeaseKind.PostgresRole })
        {
            return (null, new LeaseError("lease_not_active", $"lease '{leaseId}' is not an active postgres_role lease"));
        }

        var now = time.GetUtcNow();
        if (ttl <= TimeSpan.Zero || now >= lease.NotAfter)
        {
            return (null, new LeaseError("renewal_refused", "the lease has reached its limit (connection maximum or task expiry)"));
        }

        var expiresAt = LeaseLimits.Min(now + ttl, lease.NotAfter);
        var connection = lease.Connection is null ? null : await store.Connections.GetAsync(lease.Connection, cancellationToken);
        var target = connection is null ? null : PostgresTargets.TryOpen(connection, secrets);
        if (target is null || lease.Subject is null)
        {
            return (null, new LeaseError("connection_not_found", $"connection '{lease.Connection}' is gone or unreadable"));
        }

        await provisioner.ExtendRoleAsync(target, lease.Subject, expiresAt, cancellationToken);
        var renewed = await store.Leases.RenewAsync(leaseId, expiresAt, now, cancellationToken);
        if (!renewed.Succeeded)
        {
            return (null, new LeaseError("lease_not_active", $"lease '{leaseId}' ended meanwhile"));
        }

        await audit.RecordDurableAsync(Event(AuditEventTypes.LeaseRenewed, renewed.Value!), cancellationToken);
        return (renewed.Value, null);
    }

    private static AuditEvent Event(string type, Lease lease) => new()
    {
        Type = type,
        Agent = lease.Agent,
        Owner = lease.Owner,
        TaskId = lease.TaskId,
        Target = "connection:" + lease.Connection,
        Decision = type == AuditEventTypes.LeaseRenewed ? "renewed" : "issued",
        Detail = new Dictionary<string, string>
        {
            ["lease"] = lease.Id,
            ["kind"] = LeaseNames.Of(lease.Kind),
            ["role"] = lease.Subject ?? string.Empty,
            ["expiresAt"] = lease.ExpiresAt.ToString("O", CultureInfo.InvariantCulture),
        },
    };
}
