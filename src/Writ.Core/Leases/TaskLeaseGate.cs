using Writ.Core.Storage;
using Writ.Core.Tasks;

namespace Writ.Core.Leases;

/// <summary>
/// Turns a task token presented by an agent into a <see cref="LeaseRequest"/>: the token must be valid
/// and bearer (DPoP-bound tokens are refused here), its task still active, and its granted intent must
/// name the connection as a target (<c>connection:&lt;name&gt;</c>) — a task only draws on what it declared.
/// </summary>
public sealed class TaskLeaseGate(IWritStore store, TaskTokenValidator tasks, TimeProvider time)
{
    /// <summary>The target prefix a task declares to use a connection.</summary>
    public const string TargetPrefix = "connection:";

    /// <summary>The request, or an error whose <see cref="LeaseError.Code"/> is <c>invalid_token</c> or <c>insufficient_scope</c>.</summary>
    public async Task<(LeaseRequest? Request, LeaseError? Error)> CheckAsync(string? taskToken, string? connection, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        var validated = await tasks.ValidateAsync(taskToken, null, cancellationToken);
        if (validated.Claims is not { } claims)
        {
            return (null, new LeaseError("invalid_token", "the task token is not valid: " + validated.Error));
        }

        if (claims.Jkt is not null)
        {
            return (null, new LeaseError("invalid_token", "the task token is DPoP-bound; dynamic credentials are issued for bearer task tokens only"));
        }

        var task = await store.Tasks.GetAsync(claims.TaskId, cancellationToken);
        if (task is null || task.State != TaskState.Active || task.ExpiresAt <= time.GetUtcNow())
        {
            return (null, new LeaseError("invalid_token", "the task is no longer active"));
        }

        if (string.IsNullOrEmpty(connection) || connection.Length > 63)
        {
            return (null, new LeaseError("invalid_request", "'connection' names the connection to draw from"));
        }

        if (!claims.Intent.Tools.Any(t => t.Targets.Contains(TargetPrefix + connection, StringComparer.Ordinal)))
        {
            return (null, new LeaseError("insufficient_scope", $"the task did not declare the target '{TargetPrefix}{connection}'"));
        }

        var expiresAt = task.ExpiresAt < claims.ExpiresAt ? task.ExpiresAt : claims.ExpiresAt;
        return (new LeaseRequest(task.Id, claims.AgentName, claims.Owner, expiresAt, connection, ttl), null);
    }
}
