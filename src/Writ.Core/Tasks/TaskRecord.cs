namespace Writ.Core.Tasks;

/// <summary>A task as stored: who runs it, for whom, what it may do, where it sits in a delegation tree, and its state.</summary>
/// <param name="Id">The task id (<c>tid</c>).</param>
/// <param name="Agent">The name of the agent that runs the task (the acting agent).</param>
/// <param name="Owner">The accountable owner (the acting agent's owner).</param>
/// <param name="User">The user the task acts for, <c>&lt;issuer&gt;|&lt;subject&gt;</c>, or null.</param>
/// <param name="Intent">The granted intent.</param>
/// <param name="ParentId">The task this one was delegated from, or null for a root task.</param>
/// <param name="RootId">The root of the delegation tree (the task's own id for a root task).</param>
/// <param name="Chain">SPIFFE IDs of the agents that delegated down to this task's agent, root first (empty for a root task).</param>
/// <param name="Audience">The audience of its task token (the gateway it calls).</param>
/// <param name="State">Lifecycle state.</param>
/// <param name="CreatedAt">When it started.</param>
/// <param name="ExpiresAt">When its task token expires.</param>
/// <param name="EndedAt">When it left the active state, or null.</param>
/// <param name="EndedBy">Who ended it (agent SPIFFE ID, admin token name, <c>system</c>), or null.</param>
/// <param name="Jkt">The DPoP key thumbprint its token is bound to, or null.</param>
public sealed record TaskRecord(
    string Id,
    string Agent,
    string Owner,
    string? User,
    TaskIntent Intent,
    string? ParentId,
    string RootId,
    IReadOnlyList<string> Chain,
    string Audience,
    TaskState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? EndedAt,
    string? EndedBy,
    string? Jkt)
{
    /// <summary>Delegation depth: 0 for a task its agent started, one more per delegation.</summary>
    public int Depth => Chain.Count;

    /// <inheritdoc/>
    public bool Equals(TaskRecord? other) =>
        other is not null
        && Id == other.Id && Agent == other.Agent && Owner == other.Owner && User == other.User
        && Intent.ToJson() == other.Intent.ToJson() && ParentId == other.ParentId && RootId == other.RootId
        && Chain.SequenceEqual(other.Chain, StringComparer.Ordinal) && Audience == other.Audience && State == other.State
        && CreatedAt == other.CreatedAt && ExpiresAt == other.ExpiresAt && EndedAt == other.EndedAt && EndedBy == other.EndedBy && Jkt == other.Jkt;

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Id);
}
