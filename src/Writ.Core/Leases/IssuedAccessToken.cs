namespace Writ.Core.Leases;

/// <summary>A downstream access token just issued, and its lease.</summary>
/// <param name="Token">The signed RFC 9068 JWT.</param>
/// <param name="Lease">Its lease (subject: the token's jti).</param>
/// <param name="Scope">The granted scope: the task's allowed tools for the resource.</param>
/// <param name="ExpiresIn">Lifetime in whole seconds.</param>
public sealed record IssuedAccessToken(string Token, Lease Lease, string Scope, long ExpiresIn)
{
    /// <summary>Never prints the token.</summary>
    public override string ToString() => $"IssuedAccessToken {{ Lease = {Lease.Id}, Scope = {Scope} }}";
}
