namespace Writ.Core.Domain;

/// <summary>One administrative change and the named admin token that made it.</summary>
/// <param name="Id">Store-assigned increasing id (0 when appending).</param>
/// <param name="At">When the change happened.</param>
/// <param name="Actor">Name of the admin token (or <c>bootstrap</c>) that made it.</param>
/// <param name="Action">What happened, for example <c>agent.register</c>.</param>
/// <param name="Target">What it happened to, for example the agent name.</param>
/// <param name="Detail">Optional detail; never a secret.</param>
public sealed record ChangeRecord(long Id, DateTimeOffset At, string Actor, string Action, string Target, string? Detail);
