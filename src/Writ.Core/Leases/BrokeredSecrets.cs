using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Writ.Core.Audit;
using Writ.Core.Connections;
using Writ.Core.Security;
using Writ.Core.Storage;

namespace Writ.Core.Leases;

/// <summary>
/// Resolves a static-secret connection for a verified task inside the enforcement point (in process,
/// no API): one brokered_secret lease per task and connection, bounded like every lease, and one use
/// counted per resolution. The caller has validated the task token and the call's decision.
/// </summary>
public sealed class BrokeredSecrets(IWritStore store, ConnectionSecrets secrets, IAuditLog audit, TimeProvider time)
{
    /// <summary>The header to inject for this call, or why not.</summary>
    public async Task<(BrokeredCredential? Credential, LeaseError? Error)> ResolveAsync(LeaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var connection = await store.Connections.GetAsync(request.Connection, cancellationToken);
        if (connection is null || !string.Equals(connection.Owner, request.Owner, StringComparison.Ordinal))
        {
            return (null, new LeaseError("connection_not_found", $"connection '{request.Connection}' does not exist for owner '{request.Owner}'"));
        }

        if (connection.Kind != ConnectionKind.StaticSecret || connection.Settings.HeaderName is not { } header)
        {
            return (null, new LeaseError("wrong_connection_kind", $"connection '{request.Connection}' is {ConnectionKinds.Of(connection.Kind)}, not static_secret"));
        }

        var now = time.GetUtcNow();
        var existing = (await store.Leases.ListAsync(new LeaseQuery(null, request.TaskId, connection.Name, request.Owner, 100), cancellationToken))
            .Where(l => l.Kind == LeaseKind.BrokeredSecret)
            .ToList();

        // A lease revoked by a human or a cascade stays revoked for the task: no fresh lease behind its back.
        if (existing.Any(l => l.State is LeaseState.Revoked or LeaseState.FailedRevocation))
        {
            return (null, new LeaseError("lease_revoked", $"the task's lease on connection '{connection.Name}' was revoked"));
        }

        var lease = existing.FirstOrDefault(l => l.State == LeaseState.Active && l.ExpiresAt > now);
        if (lease is null)
        {
            if (LeaseLimits.Compute(request, connection, now, out var expiresAt, out var notAfter) is { } limitError)
            {
                return (null, limitError);
            }

            lease = Lease.Issue("lse_" + RandomToken.Create(16), LeaseKind.BrokeredSecret, request.TaskId, request.Agent, request.Owner, connection.Name, header, now, expiresAt, notAfter);
            await store.Leases.AddAsync(lease, cancellationToken);
            await audit.RecordDurableAsync(Event(AuditEventTypes.LeaseIssued, lease, "issued"), cancellationToken);
        }

        var used = await store.Leases.RecordUseAsync(lease.Id, cancellationToken);
        if (!used.Succeeded)
        {
            return (null, new LeaseError("lease_not_active", "the lease ended meanwhile; retry"));
        }

        var plaintext = secrets.TryOpen(connection.Id, connection.Secret);
        if (plaintext is null)
        {
            return (null, new LeaseError("secret_unreadable", $"the secret of connection '{connection.Name}' cannot be decrypted with the configured KEKs"));
        }

        string value;
        try
        {
            var secret = Encoding.UTF8.GetString(plaintext);
            value = connection.Settings.Scheme is { } scheme ? scheme + " " + secret : secret;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }

        await audit.RecordAsync(Event(AuditEventTypes.LeaseUsed, used.Value!, "used"), cancellationToken);
        return (new BrokeredCredential(header, value, lease.Id), null);
    }

    private static AuditEvent Event(string type, Lease lease, string outcome) => new()
    {
        Type = type,
        Agent = lease.Agent,
        Owner = lease.Owner,
        TaskId = lease.TaskId,
        Target = "connection:" + lease.Connection,
        Decision = outcome,
        Detail = new Dictionary<string, string>
        {
            ["lease"] = lease.Id,
            ["kind"] = LeaseNames.Of(lease.Kind),
            ["uses"] = lease.Uses.ToString(CultureInfo.InvariantCulture),
        },
    };
}
