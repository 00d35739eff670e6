using Writ.Core.Identity;

namespace Writ.Core.Tests.Identity;

public sealed class JoinTokenFormatTests
{
    [Fact]
    public void CreatedToken_CarriesItsId()
    {
        var (id, token) = JoinTokenFormat.Create();

        Assert.Equal(id, JoinTokenFormat.TryGetId(token));
        Assert.StartsWith("wjt.", token, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoTokens_Differ()
    {
        var (firstId, first) = JoinTokenFormat.Create();
        var (secondId, second) = JoinTokenFormat.Create();

        Assert.NotEqual(firstId, secondId);
        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData("")]
    [InlineData("wjt.")]
    [InlineData("wjt.id")]
    [InlineData("wjt.id.short")]
    [InlineData("wat.abcdefgh.abcdefghijklmnopqrstuvwxyz")]
    [InlineData(".abcdefgh.abcdefghijklmnopqrstuvwxyz")]
    public void MalformedToken_HasNoId(string text) => Assert.Null(JoinTokenFormat.TryGetId(text));
}
