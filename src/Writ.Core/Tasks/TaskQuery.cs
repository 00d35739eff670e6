namespace Writ.Core.Tasks;

/// <summary>Which tasks to list: every filter that is set must match; newest first, at most <see cref="Limit"/>.</summary>
/// <param name="Owner">Only this owner's tasks.</param>
/// <param name="Agent">Only tasks run by this agent (name).</param>
/// <param name="State">Only tasks in this state.</param>
/// <param name="Limit">Most tasks returned (1 to 1000).</param>
public sealed record TaskQuery(string? Owner = null, string? Agent = null, TaskState? State = null, int Limit = 100);
