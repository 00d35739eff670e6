namespace Writ.Core.Domain;

/// <summary>A revoked token, remembered until it would have expired anyway.</summary>
/// <param name="Jti">The token's <c>jti</c>.</param>
/// <param name="ExpiresAt">The token's own expiry; the entry may be purged after it.</param>
/// <param name="RevokedAt">When it was revoked.</param>
public sealed record RevokedToken(string Jti, DateTimeOffset ExpiresAt, DateTimeOffset RevokedAt);
