using System.Text;
using Writ.Server.Http;

namespace Writ.Server.Tests;

public sealed class FormParserTests
{
    private static FormParseResult Parse(string body) => FormParser.Parse(Encoding.UTF8.GetBytes(body));

    [Fact]
    public void PercentAndPlusEncoding_AreDecoded()
    {
        var result = Parse("a=x%3Ay+z&b=%E2%9C%93");

        Assert.Null(result.Error);
        Assert.Equal("x:y z", result.Values["a"]);
        Assert.Equal("✓", result.Values["b"]);
    }

    [Fact]
    public void EmptyValue_CountsAsAbsent()
    {
        var result = Parse("a=&b=1");

        Assert.Null(result.Error);
        Assert.False(result.Values.ContainsKey("a"));
    }

    [Fact]
    public void EmptyValues_AreDropped_OthersKept()
    {
        var result = Parse("a=&b=2&c=&d=4");

        Assert.Null(result.Error);
        Assert.Equal(["b", "d"], result.Values.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("2", result.Values["b"]);
        Assert.Equal("4", result.Values["d"]);
    }

    [Fact]
    public void EmptyValueThenValue_IsRefusedAsDuplicate() => Assert.NotNull(Parse("a=&a=1").Error);

    [Theory]
    [InlineData("a=1&a=2")]
    [InlineData("a=1&a=")]
    [InlineData("a=%zz")]
    [InlineData("a=%4")]
    [InlineData("a=%C3%28")]
    [InlineData("=1")]
    [InlineData("novalue")]
    [InlineData("a=%00")]
    [InlineData("a=%7F")]
    [InlineData("a=%C2%85")]
    [InlineData("a=x\u0001y")]
    [InlineData("a=x\u0085y")]
    [InlineData("a\u001f=1")]
    public void Malformed_IsRefused(string body) => Assert.NotNull(Parse(body).Error);

    [Theory]
    [InlineData(new byte[] { (byte)'a', (byte)'=', 0xC3, 0x28 })]
    [InlineData(new byte[] { (byte)'a', (byte)'=', 0xFF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80, (byte)'=', (byte)'1' })]
    public void RawInvalidUtf8_IsRefused(byte[] body) => Assert.NotNull(FormParser.Parse(body).Error);

    [Fact]
    public void UnescapedValue_IsTakenAsIs() =>
        Assert.Equal("eyJhbGciOiJFUzI1NiJ9.e30.c2ln", Parse("assertion=eyJhbGciOiJFUzI1NiJ9.e30.c2ln").Values["assertion"]);

    [Fact]
    public void TooManyParameters_AreRefused() =>
        Assert.NotNull(Parse(string.Join('&', Enumerable.Range(0, 40).Select(i => $"p{i}=1"))).Error);
}
