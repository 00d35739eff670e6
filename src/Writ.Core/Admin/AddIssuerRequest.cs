namespace Writ.Core.Admin;

/// <summary>What registering a trusted external issuer takes; nullable because it comes from untrusted JSON.</summary>
/// <param name="Name">Name of the registration.</param>
/// <param name="Issuer">The exact <c>iss</c> of its tokens.</param>
/// <param name="JwksUri">Where its keys are published (https, or http on loopback).</param>
/// <param name="Jwks">A static JWKS as JSON text.</param>
/// <param name="Audience">The audience its tokens must carry for Writ.</param>
/// <param name="Rules">Claim rules, tried in order.</param>
public sealed record AddIssuerRequest(
    string? Name,
    string? Issuer,
    string? JwksUri,
    string? Jwks,
    string? Audience,
    IReadOnlyList<ClaimRuleRequest>? Rules);

/// <summary>One claim rule: all claims must match exactly for the token to attest the agent.</summary>
/// <param name="Claims">Claim name → required string value.</param>
/// <param name="Agent">The agent a matching token attests.</param>
public sealed record ClaimRuleRequest(IReadOnlyDictionary<string, string>? Claims, string? Agent);
