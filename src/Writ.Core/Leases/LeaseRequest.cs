namespace Writ.Core.Leases;

/// <summary>A request for a credential on behalf of a verified task (the caller has checked the task token).</summary>
/// <param name="TaskId">The task.</param>
/// <param name="Agent">The task's agent (name).</param>
/// <param name="Owner">The task's owner; only this owner's connections can be used.</param>
/// <param name="TaskExpiresAt">When the task ends at the latest; no lease outlives it.</param>
/// <param name="Connection">The connection to draw from.</param>
/// <param name="Ttl">The wanted lifetime; null for the connection's maximum.</param>
public sealed record LeaseRequest(string TaskId, string Agent, string Owner, DateTimeOffset TaskExpiresAt, string Connection, TimeSpan? Ttl = null);
