using Writ.Core.Identity;

namespace Writ.Core.Tests.Identity;

public sealed class AssertionLifetimeTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly IdentityTokenOptions Options = new();

    private static string? Check(object payload) => AssertionLifetime.Check(TestJwt.Token(payload), Now, Options);

    [Fact]
    public void FiveMinutesExactly_IsAccepted() =>
        Assert.Null(Check(new { jti = "1", iat = Now.ToUnixTimeSeconds(), exp = Now.AddMinutes(5).ToUnixTimeSeconds() }));

    [Fact]
    public void LongerThanFiveMinutes_IsRejected() =>
        Assert.NotNull(Check(new { jti = "1", iat = Now.ToUnixTimeSeconds(), exp = Now.AddMinutes(5).AddSeconds(1).ToUnixTimeSeconds() }));

    [Fact]
    public void WithoutIat_ExpFarAhead_IsRejected() =>
        Assert.NotNull(Check(new { jti = "1", exp = Now.AddMinutes(10).ToUnixTimeSeconds() }));

    [Fact]
    public void OldIatWithLongLife_IsRejected() =>
        Assert.NotNull(Check(new { jti = "1", iat = Now.AddMinutes(-10).ToUnixTimeSeconds(), exp = Now.AddMinutes(1).ToUnixTimeSeconds() }));

    [Fact]
    public void IatInTheFuture_IsRejected() =>
        Assert.Contains("future", Check(new { jti = "1", iat = Now.AddMinutes(1).ToUnixTimeSeconds(), exp = Now.AddMinutes(2).ToUnixTimeSeconds() }), StringComparison.Ordinal);

    [Fact]
    public void SmallClockSkewOnIat_IsAccepted() =>
        Assert.Null(Check(new { jti = "1", iat = Now.AddSeconds(10).ToUnixTimeSeconds(), exp = Now.AddMinutes(2).ToUnixTimeSeconds() }));

    [Fact]
    public void MissingJti_IsRejected() =>
        Assert.Contains("jti", Check(new { exp = Now.AddMinutes(1).ToUnixTimeSeconds() }), StringComparison.Ordinal);

    [Fact]
    public void MissingExp_IsRejected() =>
        Assert.Contains("exp", Check(new { jti = "1" }), StringComparison.Ordinal);
}
