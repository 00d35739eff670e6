namespace Writ.Core.Domain;

/// <summary>A token signing key as stored: public JWK in clear, private key encrypted under the root key.</summary>
/// <param name="Kid">Key id, unique.</param>
/// <param name="Algorithm">JWS algorithm, <c>ES256</c>.</param>
/// <param name="PublicJwk">The public JWK as JSON text.</param>
/// <param name="ProtectedPrivateKey">The private key encrypted with AES-GCM under the root key, bound to the kid.</param>
/// <param name="RootKeyId">Id of the root key that protects <paramref name="ProtectedPrivateKey"/>.</param>
/// <param name="Status">Stored status; the key ring derives the effective status from the times.</param>
/// <param name="CreatedAt">When it was created (and published).</param>
/// <param name="ActivatesAt">From when it signs.</param>
/// <param name="RetiresAt">From when it is no longer published; null while it has no successor.</param>
/// <param name="Sequence">Creation order, 1 for the first key, unique.</param>
public sealed record SigningKey(
    string Kid,
    string Algorithm,
    string PublicJwk,
    byte[] ProtectedPrivateKey,
    string RootKeyId,
    SigningKeyStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset ActivatesAt,
    DateTimeOffset? RetiresAt,
    long Sequence);
