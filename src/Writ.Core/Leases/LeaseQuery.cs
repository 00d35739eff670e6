namespace Writ.Core.Leases;

/// <summary>Which leases to list; every given filter must match.</summary>
/// <param name="State">Only in this state.</param>
/// <param name="TaskId">Only of this task.</param>
/// <param name="Connection">Only from this connection.</param>
/// <param name="Owner">Only of this owner.</param>
/// <param name="Limit">At most this many, oldest issued first.</param>
public sealed record LeaseQuery(LeaseState? State = null, string? TaskId = null, string? Connection = null, string? Owner = null, int Limit = 1000);
