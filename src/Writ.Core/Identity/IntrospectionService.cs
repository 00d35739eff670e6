using Writ.Core.Domain;
using Writ.Core.Keys;
using Writ.Core.Storage;
using Writ.Core.Tasks;

namespace Writ.Core.Identity;

/// <summary>
/// RFC 7662 introspection of identity tokens: active only when the signature, issuer, type and lifetime
/// hold, the <c>jti</c> is not revoked and the agent is still active. Task tokens likewise, and only while
/// their task is active (not completed, cancelled, expired or revoked). Anything else is just inactive.
/// </summary>
public sealed class IntrospectionService
{
    private readonly IWritStore store;
    private readonly IdentityTokenValidator validator;
    private readonly TimeProvider time;
    private readonly TaskTokenValidator? taskTokens;

    /// <summary>Creates the service; with <paramref name="trustDomain"/> it also introspects task tokens.</summary>
    public IntrospectionService(IWritStore store, KeyRing keys, ITokenServiceEndpoints endpoints, TimeProvider time, TrustDomain? trustDomain = null)
    {
        this.store = store;
        this.time = time;
        validator = new IdentityTokenValidator(keys, endpoints, time);
        taskTokens = trustDomain is null ? null : new TaskTokenValidator(keys, endpoints, trustDomain, time);
    }

    /// <summary>The introspection response members; just <c>active:false</c> for anything not active.</summary>
    public async Task<IReadOnlyDictionary<string, object>> IntrospectAsync(string? token, CancellationToken cancellationToken)
    {
        var inactive = new Dictionary<string, object> { ["active"] = false };
        var jwt = await validator.ValidateAsync(token, allowExpired: false, cancellationToken);
        if (jwt is null && taskTokens is not null)
        {
            return await IntrospectTaskTokenAsync(token, taskTokens, cancellationToken) ?? inactive;
        }

        if (jwt is null || await store.Revocations.IsRevokedAsync(jwt.Id, time.GetUtcNow(), cancellationToken))
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
            ["aud"] = jwt.Audiences.FirstOrDefault() ?? string.Empty,
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

        return new Dictionary<string, object>
        {
            ["active"] = true,
            ["sub"] = claims.Subject,
            ["act"] = new Dictionary<string, object> { ["sub"] = claims.ActingAgent },
            ["aud"] = claims.Audience,
            ["tid"] = claims.TaskId,
            ["jti"] = claims.Jti,
            ["iat"] = claims.IssuedAt.ToUnixTimeSeconds(),
            ["exp"] = claims.ExpiresAt.ToUnixTimeSeconds(),
            ["token_type"] = claims.Jkt is null ? "Bearer" : "DPoP",
            ["writ_agent"] = agent.Name,
            ["writ_owner"] = claims.Owner,
        };
    }
}
