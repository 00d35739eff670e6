using Writ.Core.Domain;
using Writ.Core.Keys;
using Writ.Core.Storage;

namespace Writ.Core.Identity;

/// <summary>
/// RFC 7662 introspection of identity tokens: active only when the signature, issuer, type and lifetime
/// hold, the <c>jti</c> is not revoked and the agent is still active. Anything else is just inactive.
/// </summary>
public sealed class IntrospectionService
{
    private readonly IWritStore store;
    private readonly IdentityTokenValidator validator;
    private readonly TimeProvider time;

    /// <summary>Creates the service.</summary>
    public IntrospectionService(IWritStore store, KeyRing keys, ITokenServiceEndpoints endpoints, TimeProvider time)
    {
        this.store = store;
        this.time = time;
        validator = new IdentityTokenValidator(keys, endpoints, time);
    }

    /// <summary>The introspection response members; just <c>active:false</c> for anything not active.</summary>
    public async Task<IReadOnlyDictionary<string, object>> IntrospectAsync(string? token, CancellationToken cancellationToken)
    {
        var inactive = new Dictionary<string, object> { ["active"] = false };
        var jwt = await validator.ValidateAsync(token, allowExpired: false, cancellationToken);
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
}
