namespace Writ.Core.Tasks;

/// <summary>
/// The claims of a validated task token, as the decider needs them. The acting agent is <c>act.sub</c>
/// when present, else <c>sub</c>; <see cref="Chain"/> holds the agents that delegated down to it.
/// </summary>
public sealed class TaskTokenClaims
{
    /// <summary>The task id (<c>tid</c>).</summary>
    public required string TaskId { get; init; }

    /// <summary>The <c>jti</c>.</summary>
    public required string Jti { get; init; }

    /// <summary>The <c>aud</c>.</summary>
    public required string Audience { get; init; }

    /// <summary>The <c>sub</c>: the agent's SPIFFE ID, or the user's subject when the task acts for a user.</summary>
    public required string Subject { get; init; }

    /// <summary>The SPIFFE ID of the acting agent.</summary>
    public required string ActingAgent { get; init; }

    /// <summary>The acting agent's name (the last segment of its SPIFFE ID).</summary>
    public required string AgentName { get; init; }

    /// <summary>SPIFFE IDs of the agents that delegated down to the acting agent, root first (empty when not delegated).</summary>
    public required IReadOnlyList<string> Chain { get; init; }

    /// <summary>The delegation depth: the length of <see cref="Chain"/>.</summary>
    public int Depth => Chain.Count;

    /// <summary>The accountable owner.</summary>
    public required string Owner { get; init; }

    /// <summary>The granted intent.</summary>
    public required TaskIntent Intent { get; init; }

    /// <summary>The user the task acts for, or null.</summary>
    public TaskUser? User { get; init; }

    /// <summary>How the acting agent attested.</summary>
    public required TaskAttestation Attestation { get; init; }

    /// <summary>The parent task id of a delegated task, or null.</summary>
    public string? ParentTaskId { get; init; }

    /// <summary>The DPoP key thumbprint (<c>cnf.jkt</c>) the token is bound to, or null.</summary>
    public string? Jkt { get; init; }

    /// <summary>The <c>iat</c>.</summary>
    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>The <c>exp</c>.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The decider's cached Cedar objects for this task, kept with the claims so a hot call looks nothing up.</summary>
    internal object? DecisionCache { get; set; }

    /// <summary>The nested <c>act</c> claim's subjects, outermost (newest actor) first; empty when there is no <c>act</c>.</summary>
    public required IReadOnlyList<string> Actors { get; init; }
}
