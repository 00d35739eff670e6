namespace Writ.Sdk;

/// <summary>A lease of the task as Writ renewed it.</summary>
/// <param name="LeaseId">The lease.</param>
/// <param name="ExpiresAt">Its new expiry.</param>
/// <param name="NotAfter">The latest expiry any renewal can reach (the connection's maximum and the task's expiry).</param>
public sealed record LeaseRenewal(string LeaseId, DateTimeOffset ExpiresAt, DateTimeOffset NotAfter);
