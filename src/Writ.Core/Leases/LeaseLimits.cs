using Writ.Core.Connections;

namespace Writ.Core.Leases;

/// <summary>How long a lease may live: the request, the connection's maximum and the task's expiry, whichever is shortest.</summary>
internal static class LeaseLimits
{
    public static LeaseError? Compute(LeaseRequest request, Connection connection, DateTimeOffset now, out DateTimeOffset expiresAt, out DateTimeOffset notAfter)
    {
        var max = connection.Settings.MaxLeaseDuration ?? ConnectionRules.DefaultMaxLease;
        notAfter = Min(now + max, request.TaskExpiresAt);
        expiresAt = notAfter;
        if (request.TaskExpiresAt <= now)
        {
            return new LeaseError("task_expired", "the task has already expired");
        }

        if (request.Ttl is { } ttl)
        {
            if (ttl <= TimeSpan.Zero)
            {
                return new LeaseError("invalid_ttl", "the lease lifetime must be positive");
            }

            expiresAt = Min(now + ttl, notAfter);
        }

        return null;
    }

    public static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
