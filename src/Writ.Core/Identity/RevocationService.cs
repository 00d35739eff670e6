using Writ.Core.Domain;
using Writ.Core.Keys;
using Writ.Core.Revocation;
using Writ.Core.Storage;
using Writ.Core.Tasks;

namespace Writ.Core.Identity;

/// <summary>
/// RFC 7009 revocation of identity, task and lease access tokens: a valid token's <c>jti</c> is remembered as revoked
/// until the token would have expired, and announced on the revocation event stream. Invalid or already
/// expired tokens are ignored, as the RFC asks. Revoking a task token ends that token, not its task:
/// the task's other tokens and leases are ended by revoking the task. Revoking a lease's access token ends its lease.
/// </summary>
public sealed class RevocationService
{
    private const string Cause = "revoked by its holder (RFC 7009)";

    private readonly RevocationCoordinator coordinator;
    private readonly IWritStore store;
    private readonly IdentityTokenValidator validator;
    private readonly TaskTokenValidator taskTokens;
    private readonly AccessTokenValidator accessTokens;

    /// <summary>Creates the service.</summary>
    public RevocationService(RevocationCoordinator coordinator, IWritStore store, KeyRing keys, ITokenServiceEndpoints endpoints, TrustDomain trustDomain, TimeProvider time)
    {
        this.coordinator = coordinator;
        this.store = store;
        validator = new IdentityTokenValidator(keys, endpoints, time);
        taskTokens = new TaskTokenValidator(keys, endpoints, trustDomain, time);
        accessTokens = new AccessTokenValidator(keys, endpoints, time);
    }

    /// <summary>Revokes <paramref name="token"/> when it is a live identity, task or lease access token; true when something was recorded.</summary>
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
        else if (await accessTokens.ValidateAsync(token, cancellationToken) is { } access)
        {
            // A lease's access token: the token ends, and its lease with it (its only credential is gone).
            if (await IntrospectionService.FindLeaseAsync(store, access, cancellationToken) is { } lease)
            {
                await coordinator.RevokeAsync(new RevocationRequest(RevocationKind.Lease, lease.Id, actor, Cause: Cause), cancellationToken);
            }

            (jti, expiresAt) = (access.Jti, DateTimeOffset.FromUnixTimeSeconds(access.ExpiresAt));
        }
        else
        {
            return false;
        }

        var result = await coordinator.RevokeAsync(new RevocationRequest(RevocationKind.Token, jti, actor, Cause: Cause, TokenExpiresAt: expiresAt), cancellationToken);
        return result.Succeeded && result.Value!.Ended.Count > 0;
    }
}
