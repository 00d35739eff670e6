using Writ.Core.Keys;
using Writ.Core.Revocation;

namespace Writ.Core.Identity;

/// <summary>
/// RFC 7009 revocation of identity tokens: a valid token's <c>jti</c> is remembered as revoked until the
/// token would have expired, and announced on the revocation event stream. Invalid or already expired
/// tokens are ignored, as the RFC asks.
/// </summary>
public sealed class RevocationService
{
    private readonly RevocationCoordinator coordinator;
    private readonly IdentityTokenValidator validator;

    /// <summary>Creates the service.</summary>
    public RevocationService(RevocationCoordinator coordinator, KeyRing keys, ITokenServiceEndpoints endpoints, TimeProvider time)
    {
        this.coordinator = coordinator;
        validator = new IdentityTokenValidator(keys, endpoints, time);
    }

    /// <summary>Revokes <paramref name="token"/> when it is a live identity token; true when something was recorded.</summary>
    public Task<bool> RevokeAsync(string? token, CancellationToken cancellationToken) => RevokeAsync(token, "token-holder", cancellationToken);

    /// <summary>
    /// Revokes <paramref name="token"/> when it is a live identity token; true when something was recorded.
    /// <paramref name="actor"/> names who asked (the authenticated client, or the token holder) in the audit log.
    /// </summary>
    public async Task<bool> RevokeAsync(string? token, string actor, CancellationToken cancellationToken)
    {
        var jwt = await validator.ValidateAsync(token, allowExpired: false, cancellationToken);
        if (jwt is null)
        {
            return false;
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(jwt.GetPayloadValue<long>("exp"));
        var result = await coordinator.RevokeAsync(new RevocationRequest(RevocationKind.Token, jwt.Id, actor, Cause: "revoked by its holder (RFC 7009)", TokenExpiresAt: expiresAt), cancellationToken);
        return result.Succeeded && result.Value!.Ended.Count > 0;
    }
}
