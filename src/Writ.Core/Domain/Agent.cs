namespace Writ.Core.Domain;

/// <summary>A registered non-human identity.</summary>
/// <param name="Name">Unique name (see <see cref="ResourceName"/>); the last segment of its SPIFFE ID.</param>
/// <param name="SpiffeId">Its identity, <c>spiffe://&lt;domain&gt;/agent/&lt;name&gt;</c>.</param>
/// <param name="Owner">Name of the accountable owner.</param>
/// <param name="Status">Lifecycle state.</param>
/// <param name="AttestationMethods">The ways this agent may attest.</param>
/// <param name="Metadata">Free-form string labels.</param>
/// <param name="PublicKeys">Registered public keys for the registered-key method.</param>
/// <param name="CreatedAt">When the agent was registered.</param>
/// <param name="UpdatedAt">When the agent last changed.</param>
public sealed record Agent(
    string Name,
    SpiffeId SpiffeId,
    string Owner,
    AgentStatus Status,
    IReadOnlyList<AttestationMethod> AttestationMethods,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<AgentKey> PublicKeys,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>True when the agent may attest with <paramref name="method"/> right now.</summary>
    public bool CanAttestWith(AttestationMethod method) =>
        Status == AgentStatus.Active && AttestationMethods.Contains(method);
}
