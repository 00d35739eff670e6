namespace Writ.Core.Domain;

/// <summary>
/// Maps tokens of an external issuer to an agent: every listed claim must be present with exactly
/// the given string value.
/// </summary>
/// <param name="Claims">Claim name → required value.</param>
/// <param name="Agent">Name of the agent a matching token attests.</param>
public sealed record ClaimRule(IReadOnlyDictionary<string, string> Claims, string Agent);
