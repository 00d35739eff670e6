using Writ.Core.Leases;

namespace Writ.Server.Endpoints.Leases;

/// <summary>What the API shows of a lease (never the credential itself).</summary>
internal static class LeaseViews
{
    public static object Lease(Lease lease) => new
    {
        id = lease.Id,
        kind = LeaseNames.Of(lease.Kind),
        state = LeaseNames.Of(lease.State),
        taskId = lease.TaskId,
        agent = lease.Agent,
        owner = lease.Owner,
        connection = lease.Connection,
        subject = lease.Subject,
        issuedAt = lease.IssuedAt,
        expiresAt = lease.ExpiresAt,
        notAfter = lease.NotAfter,
        renewedAt = lease.RenewedAt,
        endedAt = lease.EndedAt,
        endReason = lease.EndReason,
        revocationAttempts = lease.RevocationAttempts,
        lastError = lease.LastError,
        nextAttemptAt = lease.NextAttemptAt,
        uses = lease.Uses,
    };
}
