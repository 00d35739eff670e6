namespace Writ.Core.Domain;

/// <summary>A named credential for a machine that calls Writ (gateway, PDP caller, introspection caller).</summary>
/// <param name="Name">Unique name (see <see cref="ResourceName"/>); the OAuth <c>client_id</c>.</param>
/// <param name="Owner">Optional owning owner.</param>
/// <param name="AuthMethod">How it authenticates.</param>
/// <param name="SecretHash">SHA-256 of its secret for <see cref="ClientAuthMethod.ClientSecret"/>, else null.</param>
/// <param name="Jwks">Its public JWKS as JSON text for <see cref="ClientAuthMethod.PrivateKeyJwt"/>, else null.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="Disabled">True when it may no longer authenticate.</param>
public sealed record Client(
    string Name,
    string? Owner,
    ClientAuthMethod AuthMethod,
    string? SecretHash,
    string? Jwks,
    DateTimeOffset CreatedAt,
    bool Disabled);
