using Writ.Core.Domain;
using Writ.Core.Identity;
using Writ.Core.Keys;
using Writ.Core.Storage;

namespace Writ.Core.Tasks;

/// <summary>
/// Checks an identity token presented to start or receive a task: ES256 by a Writ key, <c>typ</c> JWT,
/// Writ's issuer, unexpired, issued for Writ itself (its issuer or token endpoint as <c>aud</c>), not
/// revoked, and naming an agent of this trust domain that is still active.
/// </summary>
internal sealed class AgentIdentityValidator(IWritStore store, KeyRing keys, ITokenServiceEndpoints endpoints, TrustDomain trustDomain, TimeProvider time)
{
    private readonly IdentityTokenValidator validator = new(keys, endpoints, time);

    public async Task<(AgentIdentity? Identity, string? Error)> ValidateAsync(string? token, string what, CancellationToken cancellationToken)
    {
        var jwt = await validator.ValidateAsync(token, allowExpired: false, cancellationToken);
        if (jwt is null)
        {
            return (null, $"the {what} is not a valid, unexpired Writ identity token");
        }

        if (!jwt.Audiences.Any(a => string.Equals(a, endpoints.Issuer, StringComparison.Ordinal) || string.Equals(a, endpoints.TokenEndpoint, StringComparison.Ordinal)))
        {
            return (null, $"the {what} was not issued for Writ: request it with audience={endpoints.Issuer}");
        }

        if (await store.Revocations.IsRevokedAsync(jwt.Id, time.GetUtcNow(), cancellationToken))
        {
            return (null, $"the {what} has been revoked");
        }

        if (!SpiffeId.TryParse(jwt.Subject, out var spiffeId, out _) || spiffeId.TrustDomain != trustDomain || !spiffeId.TryGetAgentName(out var name))
        {
            return (null, $"the {what} does not name an agent of this trust domain");
        }

        var agent = await store.Agents.GetAsync(name, cancellationToken);
        if (agent is null || agent.SpiffeId != spiffeId)
        {
            return (null, $"the {what} names an agent that is not registered");
        }

        if (agent.Status != AgentStatus.Active)
        {
            return (null, $"agent '{agent.Name}' is {WireName.Of(agent.Status)}");
        }

        if (!jwt.TryGetPayloadValue<Dictionary<string, object>>("writ_attestation", out var attestation)
            || !attestation.TryGetValue("method", out var method) || method?.ToString() is not { Length: > 0 } methodText)
        {
            return (null, $"the {what} has no attestation claim");
        }

        var issuer = attestation.TryGetValue("issuer", out var i) ? i?.ToString() : null;
        return (new AgentIdentity(agent, new TaskAttestation(methodText, issuer)), null);
    }
}
