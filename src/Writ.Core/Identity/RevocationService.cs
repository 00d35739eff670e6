using Writ.Core.Domain;
using Writ.Core.Keys;
using Writ.Core.Storage;

namespace Writ.Core.Identity;

/// <summary>
/// RFC 7009 revocation of identity tokens: a valid token's <c>jti</c> is remembered as revoked until the
/// token would have expired. Invalid or already expired tokens are ignored, as the RFC asks.
/// </summary>
public sealed class RevocationService
{
    private readonly IWritStore store;
    private readonly IdentityTokenValidator validator;
    private readonly TimeProvider time;

    /// <summary>Creates the service.</summary>
    public RevocationService(IWritStore store, KeyRing keys, ITokenServiceEndpoints endpoints, TimeProvider time)
    {
        this.store = store;
        this.time = time;
        validator = new IdentityTokenValidator(keys, endpoints, time);
    }

    /// <summary>Revokes <paramref name="token"/> when it is a live identity token; true when something was recorded.</summary>
    public async Task<bool> RevokeAsync(string? token, CancellationToken cancellationToken)
    {
        var jwt = await validator.ValidateAsync(token, allowExpired: false, cancellationToken);
        if (jwt is null)
        {
            return false;
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(jwt.GetPayloadValue<long>("exp"));
        await store.Revocations.RevokeAsync(new RevokedToken(jwt.Id, expiresAt, time.GetUtcNow()), cancellationToken);
        return true;
    }
}
