using Microsoft.IdentityModel.JsonWebTokens;
using Writ.Core.Keys;

namespace Writ.Core.Identity;

/// <summary>Validates identity tokens Writ issued: ES256 by a published key, <c>typ</c> JWT, Writ's issuer, unexpired.</summary>
internal sealed class IdentityTokenValidator(KeyRing keys, ITokenServiceEndpoints endpoints, TimeProvider time)
{
    private static readonly string[] Algorithms = ["ES256"];
    private static readonly string?[] Types = ["JWT"];
    private static readonly string[] ValidTypes = ["JWT"];

    /// <summary>The token when it is a valid, unexpired identity token of this issuer; otherwise null.</summary>
    public async Task<JsonWebToken?> ValidateAsync(string? text, bool allowExpired, CancellationToken cancellationToken)
    {
        var token = JoseHeaderGuard.Read(text, Algorithms, Types, out _);
        if (token is null || string.IsNullOrEmpty(token.Id))
        {
            return null;
        }

        var key = (await keys.GetValidationKeysAsync(cancellationToken)).FirstOrDefault(k => string.Equals(k.KeyId, token.Kid, StringComparison.Ordinal));
        if (key is null)
        {
            return null;
        }

        var parameters = JwtValidation.Parameters(endpoints.Issuer, null, Algorithms, key, time, TimeSpan.Zero, ValidTypes);
        parameters.ValidateLifetime = !allowExpired;
        return await JwtValidation.ValidateAsync(token, parameters) is null ? token : null;
    }
}
