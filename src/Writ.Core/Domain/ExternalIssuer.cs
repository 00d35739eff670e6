namespace Writ.Core.Domain;

/// <summary>A trusted external token issuer (Kubernetes, CI, another trust domain) and its claim rules.</summary>
/// <param name="Name">Unique name (see <see cref="ResourceName"/>).</param>
/// <param name="Issuer">The exact <c>iss</c> value of its tokens.</param>
/// <param name="Audience">The <c>aud</c> its tokens must carry for Writ.</param>
/// <param name="JwksUri">Where its keys are published; null when <paramref name="Jwks"/> is given.</param>
/// <param name="Jwks">A static JWKS as JSON text; null when <paramref name="JwksUri"/> is given.</param>
/// <param name="Rules">Claim rules mapping its tokens to agents.</param>
/// <param name="CreatedAt">When it was registered.</param>
/// <param name="CreatedBy">Name of the admin token that registered it.</param>
public sealed record ExternalIssuer(
    string Name,
    string Issuer,
    string Audience,
    string? JwksUri,
    string? Jwks,
    IReadOnlyList<ClaimRule> Rules,
    DateTimeOffset CreatedAt,
    string? CreatedBy);
