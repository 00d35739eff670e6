using Writ.Core.Audit;

namespace Writ.Core.Identity;

/// <summary>An agent's assertion that passed every check but the replay check, which <paramref name="Claim"/> still has to win.</summary>
/// <param name="Attestation">The agent it attests.</param>
/// <param name="Claim">Its <c>jti</c> in the agent's replay scope, until the assertion's expiry plus clock skew.</param>
internal sealed record VerifiedAssertion(Attestation Attestation, ReplayClaim Claim);
