using Microsoft.IdentityModel.JsonWebTokens;
using Writ.Core.Keys;

namespace Writ.Core.Identity;

/// <summary>
/// Validates the RFC 9068 access tokens Writ issues for leases: ES256 by a published key, <c>typ</c>
/// <c>at+jwt</c> (or <c>application/at+jwt</c>), Writ's issuer, unexpired, with the claims RFC 9068 §2.2
/// requires and the task id. Whether the lease and task still hold is the caller's question.
/// </summary>
internal sealed class AccessTokenValidator(KeyRing keys, ITokenServiceEndpoints endpoints, TimeProvider time)
{
    private static readonly string[] Algorithms = ["ES256"];
    private static readonly string?[] Types = ["at+jwt", "application/at+jwt"];
    private static readonly string[] ValidTypes = ["at+jwt", "application/at+jwt"];

    /// <summary>The claims when <paramref name="text"/> is a valid, unexpired Writ access token; otherwise null.</summary>
    public async Task<AccessTokenClaims?> ValidateAsync(string? text, CancellationToken cancellationToken)
    {
        var token = JoseHeaderGuard.Read(text, Algorithms, Types, out _);
        if (token is null)
        {
            return null;
        }

        var key = (await keys.GetValidationKeysAsync(cancellationToken)).FirstOrDefault(k => string.Equals(k.KeyId, token.Kid, StringComparison.Ordinal));
        if (key is null)
        {
            return null;
        }

        var parameters = JwtValidation.Parameters(endpoints.Issuer, null, Algorithms, key, time, TimeSpan.Zero, ValidTypes);
        if (await JwtValidation.ValidateAsync(token, parameters) is not null)
        {
            return null;
        }

        return Read(token);
    }

    private static AccessTokenClaims? Read(JsonWebToken token)
    {
        if (string.IsNullOrEmpty(token.Id) || string.IsNullOrEmpty(token.Subject)
            || token.Audiences.ToArray() is not [{ Length: > 0 } audience]
            || !token.TryGetPayloadValue<string>("client_id", out var clientId) || string.IsNullOrEmpty(clientId)
            || !token.TryGetPayloadValue<long>("iat", out var iat) || !token.TryGetPayloadValue<long>("exp", out var exp)
            || !token.TryGetPayloadValue<string>("tid", out var taskId) || string.IsNullOrEmpty(taskId))
        {
            return null;
        }

        token.TryGetPayloadValue<string>("scope", out var scope);
        token.TryGetPayloadValue<string>("writ_owner", out var owner);
        return new AccessTokenClaims(token.Id, token.Subject, audience, clientId, scope, taskId, owner, iat, exp);
    }
}

/// <summary>The claims of a validated Writ access token.</summary>
internal sealed record AccessTokenClaims(string Jti, string Subject, string Audience, string ClientId, string? Scope, string TaskId, string? Owner, long IssuedAt, long ExpiresAt);
