using Writ.Core.Admin;
using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Core.Revocation;

/// <summary>Revokes one token by its <c>jti</c>: remembered as revoked (introspection) and announced until it would have expired.</summary>
internal sealed class TokenRevoker(IWritStore store, RevocationOptions options) : IRevoker
{
    public RevocationKind Kind => RevocationKind.Token;

    public async Task<RevokerResult> RevokeAsync(RevocationRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!RevocationCoordinator.IsPlausibleSubject(request.Subject))
        {
            return RevocationCoordinator.InvalidSubject(Kind);
        }

        // A bare jti says nothing about whose token it is, so only an unscoped admin may name one.
        if (request.ActorOwner is not null)
        {
            return AdminError.Forbidden($"'{request.Actor}' is scoped to owner '{request.ActorOwner}' and cannot revoke a token by jti; use an unscoped admin token, or revoke the token itself at the RFC 7009 endpoint");
        }

        var expiresAt = request.TokenExpiresAt ?? now + options.MaxTokenLifetime;
        if (expiresAt <= now)
        {
            return new RevokerResult([], null);
        }

        await store.Revocations.RevokeAsync(new RevokedToken(request.Subject, expiresAt, now), cancellationToken);
        return new RevokerResult([new RevocationEvent(0, now, Kind, request.Subject, expiresAt, request.Cause)], null);
    }
}
