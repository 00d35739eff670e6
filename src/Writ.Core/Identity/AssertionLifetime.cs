using Microsoft.IdentityModel.JsonWebTokens;

namespace Writ.Core.Identity;

/// <summary>
/// Rules for short-lived assertions (RFC 7523 agent and client assertions) on top of signature and
/// expiry validation: a <c>jti</c>, an <c>exp</c> at most the allowed lifetime after <c>iat</c> (or now),
/// and no <c>iat</c> from the future.
/// </summary>
internal static class AssertionLifetime
{
    private const int MaxJtiLength = 256;

    public static string? Check(JsonWebToken token, DateTimeOffset now, IdentityTokenOptions options)
    {
        if (string.IsNullOrEmpty(token.Id) || token.Id.Length > MaxJtiLength)
        {
            return $"the assertion needs a 'jti' of 1 to {MaxJtiLength} characters (replay protection)";
        }

        if (!token.TryGetPayloadValue<long>("exp", out var expSeconds))
        {
            return "the assertion has no 'exp' claim";
        }

        var exp = DateTimeOffset.FromUnixTimeSeconds(expSeconds);
        var start = now;
        if (token.TryGetPayloadValue<long>("iat", out var iatSeconds))
        {
            var iat = DateTimeOffset.FromUnixTimeSeconds(iatSeconds);
            if (iat > now + options.ClockSkew)
            {
                return "the assertion's 'iat' is in the future";
            }

            start = iat < now ? iat : now;
        }

        if (exp - start > options.MaxAssertionLifetime || exp - now > options.MaxAssertionLifetime + options.ClockSkew)
        {
            return $"the assertion may live at most {options.MaxAssertionLifetime.TotalMinutes:0} minutes ('exp' too far after 'iat')";
        }

        return null;
    }

    public static DateTimeOffset Expiry(JsonWebToken token) =>
        token.TryGetPayloadValue<long>("exp", out var exp) ? DateTimeOffset.FromUnixTimeSeconds(exp) : DateTimeOffset.MaxValue;
}
