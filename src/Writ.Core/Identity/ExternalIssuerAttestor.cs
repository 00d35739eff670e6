using Microsoft.IdentityModel.Tokens;
using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Core.Identity;

/// <summary>
/// Trusted external issuer attestation (RFC 8693 token exchange): the registration is found by the
/// token's <c>iss</c> and pinned audience, the signature checked against the issuer's static JWKS or
/// JWKS URI, and claim rules map the token to an agent. No matching rule, no identity token.
/// </summary>
internal sealed class ExternalIssuerAttestor(IWritStore store, ExternalJwksCache jwks, IdentityTokenOptions options, TimeProvider time)
{
    private static readonly string?[] Types = [null, "JWT"];

    public async Task<OAuthResult<Attestation>> AttestAsync(string? subjectToken, CancellationToken cancellationToken)
    {
        if (subjectToken is null)
        {
            return OAuthError.Request("'subject_token' (the external issuer's JWT) is required");
        }

        var token = JoseHeaderGuard.Read(subjectToken, [.. AssertionAlgorithms.Supported], Types, out var headerError);
        if (token is null)
        {
            return OAuthError.Grant(headerError!);
        }

        var iss = token.Issuer;
        if (string.IsNullOrEmpty(iss) || iss.Length > 512)
        {
            return OAuthError.Grant("the subject token has no 'iss'");
        }

        var registrations = await store.ExternalIssuers.FindByIssuerAsync(iss, cancellationToken);
        if (registrations.Count == 0)
        {
            return OAuthError.Grant("the subject token's issuer is not trusted");
        }

        var audiences = token.Audiences.ToHashSet(StringComparer.Ordinal);
        var candidates = registrations.Where(r => audiences.Contains(r.Audience)).ToList();
        if (candidates.Count == 0)
        {
            return OAuthError.Grant("the subject token's audience ('aud') is not the one registered for its issuer");
        }

        string? lastError = null;
        foreach (var registration in candidates)
        {
            var key = await FindKeyAsync(registration, token.Kid, cancellationToken);
            if (key is null)
            {
                lastError = "no key of the issuer matches the subject token's 'kid'";
                continue;
            }

            var parameters = JwtValidation.Parameters(registration.Issuer, [registration.Audience], AssertionAlgorithms.Supported, key, time, options.ClockSkew);
            if (await JwtValidation.ValidateAsync(token, parameters) is { } invalid)
            {
                lastError = invalid;
                continue;
            }

            var agentName = ClaimRuleMatcher.Match(token, registration.Rules);
            if (agentName is null)
            {
                lastError = $"no claim rule of issuer '{registration.Name}' matches the subject token";
                continue;
            }

            var agent = await store.Agents.GetAsync(agentName, cancellationToken);
            if (AgentGate.Refuse(agent, AttestationMethod.ExternalIssuer) is { } refusal)
            {
                return refusal;
            }

            return new Attestation(agent!, AttestationMethod.ExternalIssuer, registration.Name);
        }

        return OAuthError.Grant(lastError ?? "the subject token is invalid");
    }

    private async Task<SecurityKey?> FindKeyAsync(ExternalIssuer registration, string kid, CancellationToken cancellationToken)
    {
        if (registration.Jwks is not null)
        {
            return ParsedKeyCache.KeySet(registration.Jwks) is { } keys && keys.TryGetValue(kid, out var key) ? key : null;
        }

        return registration.JwksUri is null ? null : await jwks.FindAsync(registration.JwksUri, kid, cancellationToken);
    }
}
