using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Writ.Core.Identity;

/// <summary>Signature and claim validation with <see cref="JsonWebTokenHandler"/>, every check pinned explicitly.</summary>
internal static class JwtValidation
{
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    public static TokenValidationParameters Parameters(
        string issuer,
        IEnumerable<string>? audiences,
        IEnumerable<string> algorithms,
        SecurityKey key,
        TimeProvider time,
        TimeSpan clockSkew,
        IEnumerable<string>? types = null) => new()
        {
            ValidateIssuer = true,
            ValidIssuer = issuer,
            ValidateAudience = audiences is not null,
            ValidAudiences = audiences,
            RequireAudience = audiences is not null,
            ValidAlgorithms = [.. algorithms],
            ValidTypes = types,
            IssuerSigningKey = key,
            TryAllIssuerSigningKeys = false,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = false,
            ClockSkew = clockSkew,
            LifetimeValidator = (notBefore, expires, _, _) => CheckLifetime(notBefore, expires, time, clockSkew),
            SaveSigninToken = false,
            LogValidationExceptions = false,
        };

    /// <summary>Lifetime against Writ's clock (<see cref="TimeProvider"/>), not the machine's.</summary>
    private static bool CheckLifetime(DateTime? notBefore, DateTime? expires, TimeProvider time, TimeSpan clockSkew)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (expires is null)
        {
            throw new SecurityTokenNoExpirationException("no exp");
        }

        if (notBefore is { } nbf && nbf > now + clockSkew)
        {
            throw new SecurityTokenNotYetValidException("nbf in the future");
        }

        if (expires.Value <= now - clockSkew)
        {
            throw new SecurityTokenExpiredException("expired");
        }

        return true;
    }

    /// <summary>Null when valid, else why not, in words safe to return to the caller.</summary>
    public static async Task<string?> ValidateAsync(JsonWebToken token, TokenValidationParameters parameters)
    {
        var result = await Handler.ValidateTokenAsync(token, parameters);
        return result.IsValid ? null : Describe(result.Exception);
    }

    private static string Describe(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "the token has expired",
        SecurityTokenNotYetValidException => "the token is not yet valid (nbf in the future)",
        SecurityTokenNoExpirationException => "the token has no 'exp' claim",
        SecurityTokenInvalidLifetimeException => "the token's lifetime is invalid",
        SecurityTokenInvalidAudienceException => "the token's audience ('aud') is not the expected one",
        SecurityTokenInvalidIssuerException => "the token's issuer ('iss') is not the expected one",
        SecurityTokenInvalidAlgorithmException => "the token's algorithm is not accepted",
        SecurityTokenInvalidTypeException => "the token's type ('typ') is not accepted",
        SecurityTokenSignatureKeyNotFoundException => "no registered key matches the token's 'kid'",
        SecurityTokenInvalidSignatureException => "the token's signature is invalid",
        SecurityTokenMalformedException => "the token is not a well-formed JWT",
        _ => "the token is invalid",
    };
}
