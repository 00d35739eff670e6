namespace Writ.Core.Domain;

/// <summary>A seen <c>jti</c> within a scope (for example the agent assertion issuer), kept until it expires.</summary>
/// <param name="Scope">What the jti is unique within, for example an issuer or client.</param>
/// <param name="Jti">The token's <c>jti</c>.</param>
/// <param name="ExpiresAt">The token's expiry; the entry may be purged after it.</param>
public sealed record ReplayEntry(string Scope, string Jti, DateTimeOffset ExpiresAt);
