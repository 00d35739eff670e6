using Writ.Core.Domain;

namespace Writ.Core.Keys;

/// <summary>A signing key as the admin API shows it: public facts and its effective status now.</summary>
/// <param name="Kid">Key id.</param>
/// <param name="Algorithm">JWS algorithm (<c>ES256</c>).</param>
/// <param name="Status">Effective status: pending, active (published and valid) or retired.</param>
/// <param name="Signing">True for the one key that signs new tokens now.</param>
/// <param name="CreatedAt">When it was created and published.</param>
/// <param name="ActivatesAt">From when it signs.</param>
/// <param name="RetiresAt">When it stops being published, once a successor exists.</param>
/// <param name="Sequence">Creation order.</param>
/// <param name="PublicJwk">The public JWK as JSON text.</param>
public sealed record SigningKeyInfo(
    string Kid,
    string Algorithm,
    SigningKeyStatus Status,
    bool Signing,
    DateTimeOffset CreatedAt,
    DateTimeOffset ActivatesAt,
    DateTimeOffset? RetiresAt,
    long Sequence,
    string PublicJwk);
