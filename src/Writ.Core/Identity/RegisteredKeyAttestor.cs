using Microsoft.IdentityModel.Tokens;
using Writ.Core.Audit;
using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Core.Identity;

/// <summary>
/// Registered key attestation (RFC 7523 JWT bearer): <c>iss</c> = <c>sub</c> = the agent's SPIFFE ID,
/// ES256 signed by a key registered for that agent (found by <c>kid</c>), <c>aud</c> the token endpoint
/// or the issuer, short-lived, and a <c>jti</c> never seen before. The <c>jti</c> is not spent here: the
/// verified assertion carries it as a claim, which the token service records in the same durable commit
/// as the issuance's audit record.
/// </summary>
internal sealed class RegisteredKeyAttestor(IWritStore store, TrustDomain trustDomain, ITokenServiceEndpoints endpoints, IdentityTokenOptions options, TimeProvider time)
{
    /// <summary>The refusal of an assertion whose <c>jti</c> was spent before.</summary>
    public static readonly OAuthError Replayed = OAuthError.Grant("the assertion has already been used (replayed 'jti')");

    public async Task<OAuthResult<VerifiedAssertion>> VerifyAsync(string? assertion, CancellationToken cancellationToken)
    {
        if (assertion is null)
        {
            return OAuthError.Request("'assertion' (a JWT signed by the agent's registered key) is required");
        }

        // Read with the BCL rather than JsonWebTokenHandler: this is the issuance hot path, and every check
        // the handler made is made here, pinned (ES256, this agent's key, these audiences, Writ's clock).
        var token = AgentAssertion.Read(assertion, out var headerError);
        if (token is null)
        {
            return OAuthError.Grant(headerError!);
        }

        var issuer = token.Issuer;
        if (string.IsNullOrEmpty(issuer) || !string.Equals(issuer, token.Subject, StringComparison.Ordinal))
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

        if (ParsedKeyCache.AgentKey(key) is not ECDsaSecurityKey { ECDsa: { } verifier } || !token.VerifySignature(verifier))
        {
            return OAuthError.Grant("the token's signature is invalid");
        }

        var now = time.GetUtcNow();
        if (Claims(token, agent.SpiffeId.ToString(), now) is { } invalid)
        {
            return OAuthError.Grant(invalid);
        }

        if (AssertionLifetime.Check(token.Id, token.ExpiresAt, token.IssuedAt, now, options) is { } lifetimeError)
        {
            return OAuthError.Grant(lifetimeError);
        }

        // Checked above: exp is present and in range, and the jti is present.
        var expiry = DateTimeOffset.FromUnixTimeSeconds(token.ExpiresAt!.Value);
        return new VerifiedAssertion(
            new Attestation(agent, AttestationMethod.RegisteredKey, null),
            new ReplayClaim("agent:" + agent.Name, token.Id!, expiry + options.ClockSkew));
    }

    /// <summary>Issuer, audience and lifetime, as JwtValidation pins them for the other JWTs Writ accepts.</summary>
    private string? Claims(AgentAssertion token, string expectedIssuer, DateTimeOffset now)
    {
        if (!string.Equals(token.Issuer, expectedIssuer, StringComparison.Ordinal))
        {
            return "the token's issuer ('iss') is not the expected one";
        }

        if (token.Audiences is not { } audiences
            || !audiences.Any(a => string.Equals(a, endpoints.TokenEndpoint, StringComparison.Ordinal) || string.Equals(a, endpoints.Issuer, StringComparison.Ordinal)))
        {
            return "the token's audience ('aud') is not the expected one";
        }

        if (token.ExpiresAt is not { } expSeconds)
        {
            return "the token has no 'exp' claim";
        }

        if (!AssertionLifetime.TryTime(expSeconds, out var exp) || (token.NotBefore is { } nbfSeconds && !AssertionLifetime.TryTime(nbfSeconds, out _)))
        {
            return "the token's lifetime is invalid";
        }

        if (token.NotBefore is { } nbf && DateTimeOffset.FromUnixTimeSeconds(nbf) > now + options.ClockSkew)
        {
            return "the token is not yet valid (nbf in the future)";
        }

        return exp <= now - options.ClockSkew ? "the token has expired" : null;
    }
}
