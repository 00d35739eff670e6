namespace Writ.Core.Domain;

/// <summary>A public key registered for an agent, used to verify its RFC 7523 assertions.</summary>
/// <param name="Kid">The key id the agent puts in its assertions' <c>kid</c> header; unique per agent.</param>
/// <param name="Thumbprint">The RFC 7638 JWK thumbprint (base64url SHA-256); unique per agent.</param>
/// <param name="Jwk">The public JWK as JSON text (never a private key).</param>
/// <param name="AddedAt">When the key was registered.</param>
public sealed record AgentKey(string Kid, string Thumbprint, string Jwk, DateTimeOffset AddedAt);
