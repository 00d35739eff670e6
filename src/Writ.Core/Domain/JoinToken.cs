namespace Writ.Core.Domain;

/// <summary>A one-time token an agent exchanges for its first identity token. Only the hash of the secret is kept.</summary>
/// <param name="Id">Public identifier (safe to show and log).</param>
/// <param name="Agent">Name of the agent it attests.</param>
/// <param name="SecretHash">SHA-256 of the secret (see <c>Writ.Core.Security.SecretHash</c>).</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="ExpiresAt">After this instant it cannot be consumed.</param>
/// <param name="ConsumedAt">When it was exchanged, or null while unused.</param>
/// <param name="CreatedBy">Name of the admin token that created it.</param>
public sealed record JoinToken(
    string Id,
    string Agent,
    string SecretHash,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? ConsumedAt,
    string? CreatedBy);
