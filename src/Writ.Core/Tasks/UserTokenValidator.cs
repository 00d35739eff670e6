using Microsoft.IdentityModel.Tokens;
using Writ.Core.Domain;
using Writ.Core.Identity;
using Writ.Core.Storage;

namespace Writ.Core.Tasks;

/// <summary>
/// Validates the token of the user a task acts for, against the trusted external issuers (the same
/// registrations, pinned audience, keys and checks as external-issuer attestation). A token that a
/// claim rule maps to an agent is an agent's, not a user's, and is refused.
/// </summary>
internal sealed class UserTokenValidator(IWritStore store, ExternalJwksCache jwks, TimeProvider time, TimeSpan clockSkew)
{
    private const int MaxSubjectLength = 256;
    private static readonly string?[] Types = [null, "JWT", "at+jwt"];

    public async Task<(TaskUser? User, string? Error)> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var jwt = JoseHeaderGuard.Read(token, [.. AssertionAlgorithms.Supported], Types, out var headerError);
        if (jwt is null)
        {
            return (null, "user token: " + headerError);
        }

        var iss = jwt.Issuer;
        if (string.IsNullOrEmpty(iss) || iss.Length > 512)
        {
            return (null, "the user token has no 'iss'");
        }

        var audiences = jwt.Audiences.ToHashSet(StringComparer.Ordinal);
        var candidates = (await store.ExternalIssuers.FindByIssuerAsync(iss, cancellationToken)).Where(r => audiences.Contains(r.Audience)).ToList();
        if (candidates.Count == 0)
        {
            return (null, "the user token's issuer and audience are not a trusted issuer registration");
        }

        var error = "no key of the issuer matches the user token's 'kid'";
        foreach (var registration in candidates)
        {
            var key = await FindKeyAsync(registration, jwt.Kid, cancellationToken);
            if (key is null)
            {
                continue;
            }

            var parameters = JwtValidation.Parameters(registration.Issuer, [registration.Audience], AssertionAlgorithms.Supported, key, time, clockSkew);
            if (await JwtValidation.ValidateAsync(jwt, parameters) is { } invalid)
            {
                error = "user token: " + invalid;
                continue;
            }

            if (ClaimRuleMatcher.Match(jwt, registration.Rules) is not null)
            {
                return (null, "the user token is an agent's token (a claim rule maps it to an agent)");
            }

            var sub = jwt.Subject;
            if (string.IsNullOrEmpty(sub) || sub.Length > MaxSubjectLength || sub.Any(char.IsControl))
            {
                return (null, $"the user token needs a 'sub' of 1 to {MaxSubjectLength} characters");
            }

            return (new TaskUser(iss, sub), null);
        }

        return (null, error);
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
