namespace Writ.Core.Tasks;

/// <summary>The reason ids of per-call decisions (stable: audit searches and alerts use them).</summary>
public static class CallReasons
{
    public const string Permit = "policy.permit";
    public const string Forbid = "policy.forbid";
    public const string NoPermit = "policy.no_permit";
    public const string UndeclaredTool = "intent.undeclared_tool";
    public const string UndeclaredTarget = "intent.undeclared_target";
    public const string SensitivityExceeded = "intent.sensitivity_exceeded";
    public const string InvalidCall = "call.invalid";
    public const string InvalidArguments = "call.invalid_arguments";
    public const string TaskExpired = "task.expired";
    public const string TaskUnknown = "task.unknown";
    public const string TaskMismatch = "task.mismatch";
    public const string AgentUnknown = "agent.unknown";
    public const string AuditUnavailable = "audit.unavailable";

    /// <summary>The reason for a task that is no longer active: <c>task.completed</c>, <c>task.cancelled</c>, …</summary>
    public static string TaskEnded(TaskState state) => state switch
    {
        TaskState.Completed => "task.completed",
        TaskState.Cancelled => "task.cancelled",
        TaskState.Expired => TaskExpired,
        TaskState.Revoked => "task.revoked",
        _ => "task.active",
    };

    /// <summary>The reason for an agent that is not active: <c>agent.suspended</c> or <c>agent.retired</c>.</summary>
    public static string AgentInactive(Domain.AgentStatus status) => status == Domain.AgentStatus.Retired ? "agent.retired" : "agent.suspended";
}
