namespace Writ.Core.Tasks;

/// <summary>How the agent that started or received a task attested: the method's wire name and the external issuer, if any.</summary>
/// <param name="Method"><c>join_token</c>, <c>registered_key</c> or <c>external_issuer</c>.</param>
/// <param name="Issuer">The external issuer registration name, or null.</param>
public sealed record TaskAttestation(string Method, string? Issuer);
