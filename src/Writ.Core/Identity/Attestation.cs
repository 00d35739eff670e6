using Writ.Core.Domain;

namespace Writ.Core.Identity;

/// <summary>A successful attestation: which agent, by which method, vouched for by which issuer.</summary>
/// <param name="Agent">The attested agent (active, allowed this method).</param>
/// <param name="Method">How it attested.</param>
/// <param name="Issuer">The external issuer registration name, or null for join tokens and registered keys.</param>
public sealed record Attestation(Agent Agent, AttestationMethod Method, string? Issuer);
