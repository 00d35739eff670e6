namespace Writ.Sdk;

/// <summary>An identity token (JWT-SVID) with when it expires and when the client will renew it.</summary>
internal sealed record IdentityToken(string Token, DateTimeOffset ExpiresAt, DateTimeOffset RenewAt);
