namespace Writ.Core.Audit;

/// <summary>The names of audit event types: dotted, lower case, stable (verifiers and searches use them).</summary>
public static class AuditEventTypes
{
    public const string IdentityIssued = "identity.issued";
    public const string IdentityRefused = "identity.refused";
    public const string AdminChange = "admin.change";
    public const string KeyRotated = "key.rotated";
    public const string TaskStarted = "task.started";
    public const string TaskRefused = "task.refused";
    public const string TaskCompleted = "task.completed";
    public const string TaskCancelled = "task.cancelled";
    public const string TaskExpired = "task.expired";
    public const string TaskDelegated = "task.delegated";
    public const string DelegationRefused = "delegation.refused";
    public const string Decision = "decision";
    public const string PolicySetApplied = "policy.applied";
    public const string PolicySetActivated = "policy.activated";
    public const string LeaseIssued = "lease.issued";
    public const string LeaseRenewed = "lease.renewed";
    public const string LeaseUsed = "lease.used";
    public const string LeaseRevoked = "lease.revoked";
    public const string ToolCall = "tool.call";
    public const string Revoked = "revoked";
}
