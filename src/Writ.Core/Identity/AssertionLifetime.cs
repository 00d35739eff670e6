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

    public static string? Check(JsonWebToken token, DateTimeOffset now, IdentityTokenOptions options) =>
        Check(
            token.Id,
            token.TryGetPayloadValue<long>("exp", out var exp) ? exp : null,
            token.TryGetPayloadValue<long>("iat", out var iat) ? iat : null,
            now,
            options);

    /// <summary>The same rules on claim values already read (<c>exp</c> and <c>iat</c> in Unix seconds).</summary>
    public static string? Check(string? jti, long? expSeconds, long? iatSeconds, DateTimeOffset now, IdentityTokenOptions options)
    {
        if (string.IsNullOrEmpty(jti) || jti.Length > MaxJtiLength)
        {
            return $"the assertion needs a 'jti' of 1 to {MaxJtiLength} characters (replay protection)";
        }

        if (expSeconds is not { } expValue || !TryTime(expValue, out var exp))
        {
            return "the assertion has no 'exp' claim";
        }

        var start = now;
        if (iatSeconds is { } iatValue)
        {
            if (!TryTime(iatValue, out var iat) || iat > now + options.ClockSkew)
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

    /// <summary>A NumericDate as a time, when it is within the range a <see cref="DateTimeOffset"/> holds.</summary>
    public static bool TryTime(long unixSeconds, out DateTimeOffset time)
    {
        var inRange = unixSeconds >= DateTimeOffset.MinValue.ToUnixTimeSeconds() && unixSeconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds();
        time = inRange ? DateTimeOffset.FromUnixTimeSeconds(unixSeconds) : default;
        return inRange;
    }

    public static DateTimeOffset Expiry(JsonWebToken token) =>
        token.TryGetPayloadValue<long>("exp", out var exp) ? DateTimeOffset.FromUnixTimeSeconds(exp) : DateTimeOffset.MaxValue;
}
