using Writ.Cedar.Evaluation;
using Writ.Cedar.Extensions;
using Writ.Cedar.Values;
using static Writ.Cedar.Tests.Evaluation.EvalHelper;

namespace Writ.Cedar.Tests.Extensions;

public sealed class ExtensionTests
{
    [Theory]
    [InlineData("decimal(\"1.23\").lessThan(decimal(\"1.2301\"))")]
    [InlineData("decimal(\"-1.5\").lessThanOrEqual(decimal(\"-1.5000\"))")]
    [InlineData("decimal(\"2.0\").greaterThan(decimal(\"-2.0\"))")]
    [InlineData("decimal(\"0.0\").greaterThanOrEqual(decimal(\"-0.0\"))")]
    [InlineData("decimal(\"1.0\") == decimal(\"1.0000\")")]
    [InlineData("decimal(\"922337203685477.5807\") == decimal(\"922337203685477.5807\")")]
    [InlineData("decimal(\"-922337203685477.5808\").lessThan(decimal(\"0.0\"))")]
    [InlineData("ip(\"10.0.0.1\").isIpv4() && !ip(\"10.0.0.1\").isIpv6()")]
    [InlineData("ip(\"::1\").isIpv6() && ip(\"::1\").isLoopback()")]
    [InlineData("ip(\"127.255.0.1\").isLoopback()")]
    [InlineData("ip(\"224.0.0.1\").isMulticast() && ip(\"ff02::1\").isMulticast()")]
    [InlineData("ip(\"10.1.2.3\").isInRange(ip(\"10.0.0.0/8\"))")]
    [InlineData("!ip(\"10.1.2.3\").isInRange(ip(\"::/0\"))")]
    [InlineData("ip(\"10.0.0.0/8\").isInRange(ip(\"10.0.0.0/7\"))")]
    [InlineData("!ip(\"10.0.0.0/7\").isInRange(ip(\"10.0.0.0/8\"))")]
    [InlineData("ip(\"1:2::3\") == ip(\"1:2:0:0:0:0:0:3\")")]
    [InlineData("ip(\"10.0.0.1\") == ip(\"10.0.0.1/32\") && ip(\"10.0.0.1/24\") != ip(\"10.0.0.0/24\")")]
    [InlineData("context.ip == ip(\"10.0.0.1\")")]
    [InlineData("datetime(\"2024-01-01\") < datetime(\"2024-01-01T00:00:00.001Z\")")]
    [InlineData("datetime(\"2024-01-01T02:00:00+0200\") == datetime(\"2024-01-01\")")]
    [InlineData("datetime(\"2024-01-01T00:00:00-0130\") == datetime(\"2024-01-01T01:30:00Z\")")]
    [InlineData("datetime(\"2024-02-29\").toDate() == datetime(\"2024-02-29\")")]
    [InlineData("datetime(\"2024-01-01T12:34:56.789Z\").toTime() == duration(\"12h34m56s789ms\")")]
    [InlineData("datetime(\"1969-12-31T23:00:00Z\").toDate() == datetime(\"1969-12-31\")")]
    [InlineData("datetime(\"1969-12-31T23:00:00Z\").toTime() == duration(\"23h\")")]
    [InlineData("datetime(\"2024-01-01\").offset(duration(\"-1d\")) == datetime(\"2023-12-31\")")]
    [InlineData("datetime(\"2024-01-02\").durationSince(datetime(\"2024-01-01\")) == duration(\"24h\")")]
    [InlineData("duration(\"1d2h3m4s5ms\").toMilliseconds() == 93784005")]
    [InlineData("duration(\"-90s\").toMinutes() == -1")]
    [InlineData("duration(\"90m\").toHours() == 1 && duration(\"49h\").toDays() == 2 && duration(\"1500ms\").toSeconds() == 1")]
    [InlineData("duration(\"1h\") > duration(\"59m\")")]
    [InlineData("datetime(\"0000-01-01\") < datetime(\"9999-12-31T23:59:59.999Z\")")]
    public void ExtensionExpression_IsTrue(string expr) => Assert.Equal(BoolValue.True, Ok(expr));

    [Theory]
    [InlineData("decimal(\"1.23456\")")]
    [InlineData("decimal(\"1\")")]
    [InlineData("decimal(\".5\")")]
    [InlineData("decimal(\"1.\")")]
    [InlineData("decimal(\"+1.0\")")]
    [InlineData("decimal(\"922337203685477.5808\")")]
    [InlineData("decimal(\"1e3.0\")")]
    [InlineData("ip(\"256.0.0.1\")")]
    [InlineData("ip(\"01.0.0.1\")")]
    [InlineData("ip(\"1.2.3\")")]
    [InlineData("ip(\"1.2.3.4/33\")")]
    [InlineData("ip(\"1.2.3.4/08\")")]
    [InlineData("ip(\"::1::2\")")]
    [InlineData("ip(\"1:2:3:4:5:6:7:8:9\")")]
    [InlineData("ip(\"1:2:3:4::5:6:7:8\")")]
    [InlineData("ip(\"::ffff:1.2.3.4\")")]
    [InlineData("ip(\"fe80::1%eth0\")")]
    [InlineData("ip(\"::/129\")")]
    [InlineData("datetime(\"2024-1-01\")")]
    [InlineData("datetime(\"2023-02-29\")")]
    [InlineData("datetime(\"2024-01-01T24:00:00Z\")")]
    [InlineData("datetime(\"2024-01-01T23:59:60Z\")")]
    [InlineData("datetime(\"2024-01-01T00:00:00\")")]
    [InlineData("datetime(\"2024-01-01T00:00:00+2400\")")]
    [InlineData("datetime(\"2024-01-01T00:00:00+0060\")")]
    [InlineData("datetime(\"2024-01-01T00:00:00.12Z\")")]
    [InlineData("datetime(\"2024-01-01 00:00:00Z\")")]
    [InlineData("duration(\"\")")]
    [InlineData("duration(\"-\")")]
    [InlineData("duration(\"1s1m\")")]
    [InlineData("duration(\"1h1h\")")]
    [InlineData("duration(\"1.5h\")")]
    [InlineData("duration(\"9223372036854775808ms\")")]
    [InlineData("duration(\"106751991168d\")")]
    [InlineData("duration(\"1x\")")]
    [InlineData("datetime(\"2024-01-01\").offset(duration(\"9223372036854775807ms\")).offset(duration(\"9223372036854775807ms\"))")]
    public void InvalidLiteralOrOverflow_IsAnExtensionError(string expr) => Assert.Equal(EvaluationErrorKind.ExtensionError, Err(expr));

    [Fact]
    public void DecimalMethods_RejectOtherTypes() => Assert.Equal(EvaluationErrorKind.TypeError, Err("decimal(\"1.0\").lessThan(1)"));

    [Fact]
    public void Formats_RoundTrip()
    {
        Assert.Equal("-1.0500", DecimalParser.TryParse("-1.05", out _)!.ToDecimalString());
        Assert.Equal("10.0.0.0/8", IpParser.TryParse("10.0.0.0/8")!.ToAddressString());
        Assert.Equal("1d2h3m4s5ms", DatetimeParser.TryParseDuration("1d2h3m4s5ms")!.ToDurationString());
        Assert.Equal("-30s", DatetimeParser.TryParseDuration("-30s")!.ToDurationString());
        Assert.Equal("2024-03-01T12:00:00.000Z", DatetimeParser.TryParseDatetime("2024-03-01T12:00:00Z")!.ToIsoString());
    }
}
