using Writ.Core.Tasks;

namespace Writ.Core.Leases;

/// <summary>
/// Turns a task token the agent presented (already authenticated by <see cref="TaskLifecycle.AuthenticateAsync"/>:
/// valid, of a known task, not revoked, with a proof of its key when it is DPoP-bound) into a
/// <see cref="LeaseRequest"/>: its task must still be active, and its granted intent must name the connection as
/// a target (<c>connection:&lt;name&gt;</c>) — a task only draws on what it declared.
/// </summary>
public sealed class TaskLeaseGate(TimeProvider time)
{
    /// <summary>The target prefix a task declares to use a connection.</summary>
    public const string TargetPrefix = "connection:";

    /// <summary>The request, or an error whose <see cref="LeaseError.Code"/> is <c>invalid_token</c>, <c>invalid_request</c> or <c>insufficient_scope</c>.</summary>
    public (LeaseRequest? Request, LeaseError? Error) Check(TaskTokenAuthentication authentication, string? connection, TimeSpan? ttl)
    {
        ArgumentNullException.ThrowIfNull(authentication);
        if (authentication is not { Task: { } task, Claims: { } claims })
        {
            return (null, new LeaseError("invalid_token", "the task token is not valid: " + authentication.Error));
        }

        if (task.State != TaskState.Active || task.ExpiresAt <= time.GetUtcNow())
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
