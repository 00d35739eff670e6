using System.Text.Json;
using Writ.Core.Domain;
using Writ.Core.Keys;
using Writ.Core.Leases;
using Writ.Core.Storage;
using Writ.Core.Tasks;

namespace Writ.Core.Identity;

/// <summary>
/// RFC 7662 introspection of identity tokens: active only when the signature, issuer, type and lifetime
/// hold, the <c>jti</c> is not revoked and the agent is still active. Task tokens likewise, and only while
/// their task is active (not completed, cancelled, expired or revoked), and the RFC 9068 access tokens of leases
/// while their lease, task and agent are. Anything else is just inactive.
/// </summary>
public sealed class IntrospectionService
{
    private readonly IWritStore store;
    private readonly ITokenServiceEndpoints endpoints;
    private readonly IdentityTokenValidator validator;
    private readonly TimeProvider time;
    private readonly TaskTokenValidator? taskTokens;
    private readonly AccessTokenValidator accessTokens;

    /// <summary>Creates the service; with <paramref name="trustDomain"/> it also introspects task tokens.</summary>
    public IntrospectionService(IWritStore store, KeyRing keys, ITokenServiceEndpoints endpoints, TimeProvider time, TrustDomain? trustDomain = null)
    {
        this.store = store;
        this.endpoints = endpoints;
        this.time = time;
        validator = new IdentityTokenValidator(keys, endpoints, time);
        taskTokens = trustDomain is null ? null : new TaskTokenValidator(keys, endpoints, trustDomain, time);
        accessTokens = new AccessTokenValidator(keys, endpoints, time);
    }

    /// <summary>The introspection response members; just <c>active:false</c> for anything not active.</summary>
    public async Task<IReadOnlyDictionary<string, object>> IntrospectAsync(string? token, CancellationToken cancellationToken)
    {
        var inactive = new Dictionary<string, object> { ["active"] = false };
        var jwt = await validator.ValidateAsync(token, allowExpired: false, cancellationToken);
        if (jwt is null)
        {
            return (taskTokens is null ? null : await IntrospectTaskTokenAsync(token, taskTokens, cancellationToken))
                ?? await IntrospectAccessTokenAsync(token, cancellationToken)
                ?? inactive;
        }

        if (await store.Revocations.IsRevokedAsync(jwt.Id, time.GetUtcNow(), cancellationToken))
        {
            return inactive;
        }

        var subject = jwt.Subject;
        if (!SpiffeId.TryParse(subject, out var spiffeId, out _) || !spiffeId.TryGetAgentName(out var name))
        {
            return inactive;
        }

        var agent = await store.Agents.GetAsync(name, cancellationToken);
        if (agent is not { Status: AgentStatus.Active } || agent.SpiffeId != spiffeId)
        {
            return inactive;
        }

        var response = new Dictionary<string, object>
        {
            ["active"] = true,
            ["iss"] = jwt.Issuer,
            ["sub"] = subject,
            ["aud"] = Audience(jwt.Audiences),
            ["iat"] = jwt.GetPayloadValue<long>("iat"),
            ["exp"] = jwt.GetPayloadValue<long>("exp"),
            ["jti"] = jwt.Id,
            ["token_type"] = "Bearer",
            ["writ_agent"] = agent.Name,
            ["writ_owner"] = agent.Owner,
        };
        if (jwt.TryGetPayloadValue<Dictionary<string, object>>("writ_attestation", out var attestation))
        {
            response["writ_attestation"] = attestation;
        }

        return response;
    }

    // The audience is not checked: the caller introspecting is whichever gateway or resource server received
    // the token, and the answer reports the audience for it to compare. Everything else is checked against
    // the stored task, whose state is the one truth about whether the token still counts.
    private async Task<Dictionary<string, object>?> IntrospectTaskTokenAsync(string? token, TaskTokenValidator tokens, CancellationToken cancellationToken)
    {
        var validated = await tokens.ValidateAsync(token, null, cancellationToken);
        if (validated.Claims is not { } claims)
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (await store.Revocations.IsRevokedAsync(claims.Jti, now, cancellationToken))
        {
            return null;
        }

        var task = await store.Tasks.GetAsync(claims.TaskId, cancellationToken);
        if (task is not { State: TaskState.Active } || task.ExpiresAt <= now || task.Agent != claims.AgentName || task.Audience != claims.Audience)
        {
            return null;
        }

        var agent = await store.Agents.GetAsync(claims.AgentName, cancellationToken);
        if (agent is not { Status: AgentStatus.Active })
        {
            return null;
        }

        using var details = JsonDocument.Parse(claims.Intent.ToJson());

        // RFC 8693 §4.1 and RFC 9396 §9.2: the answer carries the token's own act chain and granted details,
        // RFC 9449 §6.2 the key a DPoP-bound token is confirmed by.
        var response = new Dictionary<string, object>
        {
            ["active"] = true,
            ["iss"] = endpoints.Issuer,
            ["sub"] = claims.Subject,
            ["aud"] = claims.Audience,
            ["tid"] = claims.TaskId,
            ["jti"] = claims.Jti,
            ["iat"] = claims.IssuedAt.ToUnixTimeSeconds(),
            ["exp"] = claims.ExpiresAt.ToUnixTimeSeconds(),
            ["token_type"] = claims.Jkt is null ? "Bearer" : "DPoP",
            ["authorization_details"] = new[] { details.RootElement.Clone() },
            ["writ_agent"] = agent.Name,
            ["writ_owner"] = claims.Owner,
        };
        if (claims.Actors.Count > 0)
        {
            response["act"] = Actor(claims.Actors, 0);
        }

        if (claims.Jkt is not null)
        {
            response["cnf"] = new Dictionary<string, object> { ["jkt"] = claims.Jkt };
        }

        return response;
    }

    // A lease's access token (RFC 9068) counts while its jti is not revoked, its lease is active and so are its task and agent.
    private async Task<Dictionary<string, object>?> IntrospectAccessTokenAsync(string? token, CancellationToken cancellationToken)
    {
        if (await accessTokens.ValidateAsync(token, cancellationToken) is not { } claims)
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (await store.Revocations.IsRevokedAsync(claims.Jti, now, cancellationToken)
            || await FindLeaseAsync(store, claims, cancellationToken) is not { } lease || lease.ExpiresAt <= now)
        {
            return null;
        }

        var task = await store.Tasks.GetAsync(claims.TaskId, cancellationToken);
        if (task is not { State: TaskState.Active } || task.ExpiresAt <= now || task.Id != lease.TaskId
            || await store.Agents.GetAsync(task.Agent, cancellationToken) is not { Status: AgentStatus.Active })
        {
            return null;
        }

        var response = new Dictionary<string, object>
        {
            ["active"] = true,
            ["iss"] = endpoints.Issuer,
            ["sub"] = claims.Subject,
            ["aud"] = claims.Audience,
            ["client_id"] = claims.ClientId,
            ["iat"] = claims.IssuedAt,
            ["exp"] = claims.ExpiresAt,
            ["jti"] = claims.Jti,
            ["token_type"] = "Bearer",
            ["tid"] = claims.TaskId,
            ["writ_owner"] = lease.Owner,
        };
        if (claims.Scope is not null)
        {
            response["scope"] = claims.Scope;
        }

        return response;
    }

    /// <summary>The active access-token lease that issued a token with this <c>jti</c>.</summary>
    internal static async Task<Lease?> FindLeaseAsync(IWritStore store, AccessTokenClaims claims, CancellationToken cancellationToken) =>
        (await store.Leases.ListAsync(new LeaseQuery(State: LeaseState.Active, TaskId: claims.TaskId), cancellationToken))
            .FirstOrDefault(l => l.Kind == LeaseKind.AccessToken && string.Equals(l.Subject, claims.Jti, StringComparison.Ordinal));

    // The current actor outermost, each earlier one nested inside it, as in the token.
    private static Dictionary<string, object> Actor(IReadOnlyList<string> actors, int index)
    {
        var actor = new Dictionary<string, object> { ["sub"] = actors[index] };
        if (index + 1 < actors.Count)
        {
            actor["act"] = Actor(actors, index + 1);
        }

        return actor;
    }

    // RFC 7662 §2.2 (after RFC 7519): one audience as a string, several as an array.
    private static object Audience(IEnumerable<string> audiences)
    {
        var all = audiences.ToArray();
        return all.Length == 1 ? all[0] : all;
    }
}
