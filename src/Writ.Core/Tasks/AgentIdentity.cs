using Writ.Core.Domain;

namespace Writ.Core.Tasks;

/// <summary>An agent proven by a valid identity token: its current record and how it attested.</summary>
/// <param name="Agent">The agent (active).</param>
/// <param name="Attestation">The attestation named in the identity token.</param>
internal sealed record AgentIdentity(Agent Agent, TaskAttestation Attestation);
