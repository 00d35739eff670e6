namespace Writ.Core.Domain;

/// <summary>A named, revocable credential for the admin API. Only the hash of the token is kept.</summary>
/// <param name="Name">Unique name (see <see cref="ResourceName"/>); recorded on every change it makes.</param>
/// <param name="Owner">When set, the token manages only this owner's agents.</param>
/// <param name="TokenHash">SHA-256 of the token (see <c>Writ.Core.Security.SecretHash</c>).</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="RevokedAt">When it was revoked, or null while usable.</param>
/// <param name="CreatedBy">Name of the admin token that created it.</param>
public sealed record AdminToken(
    string Name,
    string? Owner,
    string TokenHash,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt,
    string? CreatedBy);
