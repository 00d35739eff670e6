using System.Globalization;
using Writ.Core.Audit;
using Writ.Core.Connections;
using Writ.Core.Storage;

namespace Writ.Core.Leases;

/// <summary>
/// Ends leases: takes the credential back upstream (drops a dynamic role) and records the end. When
/// the upstream is unreachable the lease becomes <see cref="LeaseState.FailedRevocation"/> with a
/// backoff, and the reaper tries again; nothing is dropped silently.
/// </summary>
public sealed class LeaseRevoker(IWritStore store, ConnectionSecrets secrets, IPostgresRoleProvisioner provisioner, IAuditLog audit, LeaseRevocationOptions options, TimeProvider time)
{
    /// <summary>Raised when this process starts ending a lease, before the store changes (in-memory holders drop it).</summary>
    public event Action<Lease>? Ending;

    /// <summary>Ends one lease for <paramref name="reason"/> and returns it as stored afterwards.</summary>
    public async Task<Lease> RevokeAsync(Lease lease, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        Ending?.Invoke(lease);
        var finalState = reason == Lease.ExpiredReason ? LeaseState.Expired : LeaseState.Revoked;
        if (lease.Kind == LeaseKind.PostgresRole)
        {
            var failure = await DropRoleAsync(lease, cancellationToken);
            if (failure is not null)
            {
                var now = time.GetUtcNow();
                var next = now + options.DelayAfter(lease.RevocationAttempts + 1);
                var failed = await store.Leases.RecordRevocationFailureAsync(lease.Id, failure, now, next, lease.EndReason ?? reason, cancellationToken);
                var current = failed.Value ?? lease;
                await RecordAsync(current, "failed", failure, cancellationToken);
                return current;
            }
        }

        var ended = await store.Leases.EndAsync(lease.Id, finalState, time.GetUtcNow(), lease.EndReason ?? reason, cancellationToken);
        if (!ended.Succeeded)
        {
            // Another process ended it first; report what is stored.
            return await store.Leases.GetAsync(lease.Id, cancellationToken) ?? lease;
        }

        await RecordAsync(ended.Value!, LeaseNames.Of(ended.Value!.State), null, cancellationToken);
        return ended.Value!;
    }

    /// <summary>Ends every active or failed-revocation lease from <paramref name="connection"/>.</summary>
    public Task<IReadOnlyList<Lease>> RevokeForConnectionAsync(Connection connection, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return RevokeMatchingAsync(new LeaseQuery(Connection: connection.Name), reason, cancellationToken);
    }

    /// <summary>Ends every active or failed-revocation lease of a task.</summary>
    public Task<IReadOnlyList<Lease>> RevokeForTaskAsync(string taskId, string reason, CancellationToken cancellationToken) =>
        RevokeMatchingAsync(new LeaseQuery(TaskId: taskId), reason, cancellationToken);

    private async Task<IReadOnlyList<Lease>> RevokeMatchingAsync(LeaseQuery query, string reason, CancellationToken cancellationToken)
    {
        // Both lists are read before anything changes, so a lease that fails now is not tried twice in one call.
        var pending = new List<Lease>();
        foreach (var state in new[] { LeaseState.Active, LeaseState.FailedRevocation })
        {
            pending.AddRange(await store.Leases.ListAsync(query with { State = state, Limit = 100_000 }, cancellationToken));
        }

        var ended = new List<Lease>(pending.Count);
        foreach (var lease in pending)
        {
            ended.Add(await RevokeAsync(lease, reason, cancellationToken));
        }

        return ended;
    }

    private async Task<string?> DropRoleAsync(Lease lease, CancellationToken cancellationToken)
    {
        if (lease.Subject is null || lease.Connection is null)
        {
            return null;
        }

        var connection = await store.Connections.GetAsync(lease.Connection, cancellationToken);
        if (connection is null)
        {
            return $"connection '{lease.Connection}' no longer exists; drop role '{lease.Subject}' by hand";
        }

        var target = PostgresTargets.TryOpen(connection, secrets);
        if (target is null)
        {
            return $"the admin password of connection '{lease.Connection}' cannot be decrypted with the configured KEKs";
        }

        try
        {
            await provisioner.DropRoleAsync(target, lease.Subject, cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            // Driver messages name the server and the failure, never the password.
            return ex.GetType().Name + ": " + Truncate(ex.Message, 300);
        }
    }

    private Task RecordAsync(Lease lease, string outcome, string? error, CancellationToken cancellationToken)
    {
        var detail = new Dictionary<string, string>
        {
            ["lease"] = lease.Id,
            ["kind"] = LeaseNames.Of(lease.Kind),
            ["state"] = LeaseNames.Of(lease.State),
            ["attempts"] = lease.RevocationAttempts.ToString(CultureInfo.InvariantCulture),
        };
        if (error is not null)
        {
            detail["error"] = error;
        }

        return audit.RecordDurableAsync(
            new AuditEvent
            {
                Type = AuditEventTypes.LeaseRevoked,
                Agent = lease.Agent,
                Owner = lease.Owner,
                TaskId = lease.TaskId,
                Target = lease.Connection is null ? "lease:" + lease.Id : "connection:" + lease.Connection,
                Decision = outcome,
                Reason = lease.EndReason,
                Detail = detail,
            },
            cancellationToken);
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
