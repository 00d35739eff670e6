using Writ.Core.Domain;
using Writ.Core.Keys;
using Writ.Core.Revocation;
using Writ.Core.Tasks;

namespace Writ.Core.Identity;

/// <summary>
/// RFC 7009 revocation of identity and task tokens: a valid token's <c>jti</c> is remembered as revoked
/// until the token would have expired, and announced on the revocation event stream. Invalid or already
/// expired tokens are ignored, as the RFC asks. Revoking a task token ends that token, not its task:
/// the task's other tokens and leases are ended by revoking the task.
/// </summary>
public sealed class RevocationService
{
    private readonly RevocationCoordinator coordinator;
    private readonly IdentityTokenValidator validator;
    private readonly TaskTokenValidator taskTokens;

    /// <summary>Creates the service.</summary>
    public RevocationService(RevocationCoordinator coordinator, KeyRing keys, ITokenServiceEndpoints endpoints, TrustDomain trustDomain, TimeProvider time)
    {
        this.coordinator = coordinator;
        validator = new IdentityTokenValidator(keys, endpoints, time);
        taskTokens = new TaskTokenValidator(keys, endpoints, trustDomain, time);
    }

    /// <summary>Revokes <paramref name="token"/> when it is a live identity or task token; true when something was recorded.</summary>
    public Task<bool> RevokeAsync(string? token, CancellationToken cancellationToken) => RevokeAsync(token, "token-holder", cancellationToken);

    /// <summary>
    /// Revokes <paramref name="token"/> when it is a live identity or task token; true when something was recorded.
    /// <paramref name="actor"/> names who asked (the authenticated client, or the token holder) in the audit log.
    /// </summary>
    public async Task<bool> RevokeAsync(string? token, string actor, CancellationToken cancellationToken)
    {
        string jti;
        DateTimeOffset expiresAt;
        if (await validator.ValidateAsync(token, allowExpired: false, cancellationToken) is { } jwt)
        {
            (jti, expiresAt) = (jwt.Id, DateTimeOffset.FromUnixTimeSeconds(jwt.GetPayloadValue<long>("exp")));
        }
        else if ((await taskTokens.ValidateAsync(token, null, cancellationToken)).Claims is { } task)
        {
            // Any audience: the holder revoking it may be the agent or the gateway that received it.
            (jti, expiresAt) = (task.Jti, task.ExpiresAt);
        }
        else
        {
            return false;
        }

        var result = await coordinator.RevokeAsync(new RevocationRequest(RevocationKind.Token, jti, actor, Cause: "revoked by its holder (RFC 7009)", TokenExpiresAt: expiresAt), cancellationToken);
        return result.Succeeded && result.Value!.Ended.Count > 0;
    }
}
