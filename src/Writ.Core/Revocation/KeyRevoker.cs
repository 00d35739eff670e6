using Writ.Core.Admin;
using Writ.Core.Keys;

namespace Writ.Core.Revocation;

/// <summary>Revokes a token signing key: retired at once (a replacement signs from now), so every token it signed is rejected.</summary>
internal sealed class KeyRevoker(KeyRing keys, RevocationOptions options) : IRevoker
{
    public RevocationKind Kind => RevocationKind.Key;

    public async Task<RevokerResult> RevokeAsync(RevocationRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (request.ActorOwner is not null)
        {
            return AdminError.Forbidden($"'{request.Actor}' is scoped to owner '{request.ActorOwner}' and cannot revoke signing keys; use an unscoped admin token");
        }

        if (!RevocationCoordinator.IsPlausibleSubject(request.Subject))
        {
            return RevocationCoordinator.InvalidSubject(Kind);
        }

        (SigningKeyInfo Revoked, SigningKeyInfo? Replacement)? outcome;
        try
        {
            outcome = await keys.RevokeAsync(request.Subject, cancellationToken);
        }
        catch (KeyRingException ex)
        {
            return AdminError.Conflict("revocation_failed", ex.Message);
        }

        if (outcome is null)
        {
            return AdminError.NotFound("key_not_found", $"no signing key has kid '{(request.Subject.Length > 80 ? request.Subject[..80] : request.Subject)}'; see 'writ key list'");
        }

        return new RevokerResult([new RevocationEvent(0, now, Kind, request.Subject, now + options.MaxTokenLifetime, request.Cause)], null);
    }
}
