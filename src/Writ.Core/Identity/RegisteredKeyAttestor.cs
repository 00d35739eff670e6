using Microsoft.IdentityModel.JsonWebTokens;
using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Core.Identity;

/// <summary>
/// Registered key attestation (RFC 7523 JWT bearer): <c>iss</c> = <c>sub</c> = the agent's SPIFFE ID,
/// ES256 signed by a key registered for that agent (found by <c>kid</c>), <c>aud</c> the token endpoint
/// or the issuer, short-lived, and a <c>jti</c> never seen before.
/// </summary>
internal sealed class RegisteredKeyAttestor(IWritStore store, TrustDomain trustDomain, ITokenServiceEndpoints endpoints, IdentityTokenOptions options, TimeProvider time)
{
    private static readonly string[] Algorithms = ["ES256"];
    private static readonly string?[] Types = [null, "JWT"];

    public async Task<OAuthResult<Attestation>> AttestAsync(string? assertion, CancellationToken cancellationToken)
    {
        if (assertion is null)
        {
            return OAuthError.Request("'assertion' (a JWT signed by the agent's registered key) is required");
        }

        var token = JoseHeaderGuard.Read(assertion, Algorithms, Types, out var headerError);
        if (token is null)
        {
            return OAuthError.Grant(headerError!);
        }

        var issuer = token.Issuer;
        if (string.IsNullOrEmpty(issuer) || !string.Equals(issuer, Subject(token), StringComparison.Ordinal))
        {
            return OAuthError.Grant("the assertion's 'iss' and 'sub' must both be the agent's SPIFFE ID");
        }

        if (!SpiffeId.TryParse(issuer, out var spiffeId, out _) || spiffeId.TrustDomain != trustDomain || !spiffeId.TryGetAgentName(out var agentName))
        {
            return OAuthError.Grant($"the assertion's 'iss' must be an agent SPIFFE ID of this trust domain (spiffe://{trustDomain.Name}/agent/<name>)");
        }

        var agent = await store.Agents.GetAsync(agentName, cancellationToken);
        if (AgentGate.Refuse(agent, AttestationMethod.RegisteredKey) is { } refusal)
        {
            return refusal;
        }

        var key = agent!.PublicKeys.FirstOrDefault(k => string.Equals(k.Kid, token.Kid, StringComparison.Ordinal));
        if (key is null)
        {
            return OAuthError.Grant("no key registered for this agent has the assertion's 'kid'");
        }

        var parameters = JwtValidation.Parameters(
            agent.SpiffeId.ToString(),
            [endpoints.TokenEndpoint, endpoints.Issuer],
            Algorithms,
            ParsedKeyCache.AgentKey(key),
            time,
            options.ClockSkew);
        if (await JwtValidation.ValidateAsync(token, parameters) is { } invalid)
        {
            return OAuthError.Grant(invalid);
        }

        var now = time.GetUtcNow();
        if (AssertionLifetime.Check(token, now, options) is { } lifetimeError)
        {
            return OAuthError.Grant(lifetimeError);
        }

        if (!await store.ReplayCache.TryRecordAsync("agent:" + agent.Name, token.Id, AssertionLifetime.Expiry(token) + options.ClockSkew, cancellationToken))
        {
            return OAuthError.Grant("the assertion has already been used (replayed 'jti')");
        }

        return new Attestation(agent, AttestationMethod.RegisteredKey, null);
    }

    private static string? Subject(JsonWebToken token) => token.TryGetPayloadValue<string>("sub", out var sub) ? sub : null;
}
