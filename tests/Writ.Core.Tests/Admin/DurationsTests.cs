using Writ.Core.Admin;

namespace Writ.Core.Tests.Admin;

public sealed class DurationsTests
{
    [Theory]
    [InlineData("PT10M", 600)]
    [InlineData("pt10m", 600)]
    [InlineData("P1D", 86400)]
    [InlineData("600", 600)]
    [InlineData("00:05:00", 300)]
    public void Valid_IsParsed(string text, int seconds)
    {
        Assert.True(Durations.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("PT0S")]
    [InlineData("ten minutes")]
    [InlineData("P")]
    [InlineData("99999999999999999999")]
    public void Invalid_IsRefused(string? text) => Assert.False(Durations.TryParse(text, out _));
}
