using System.Buffers.Text;
using Writ.Core.Security;

namespace Writ.Core.Tests.Security;

public sealed class SecretHelperTests
{
    [Fact]
    public void RandomToken_IsBase64UrlOf32Bytes_AndUnique()
    {
        var tokens = Enumerable.Range(0, 100).Select(_ => RandomToken.Create()).ToList();

        Assert.All(tokens, t => Assert.Equal(32, Base64Url.DecodeFromChars(t).Length));
        Assert.All(tokens, t => Assert.DoesNotContain(t, c => c is '+' or '/' or '='));
        Assert.Equal(tokens.Count, tokens.Distinct().Count());
    }

    [Fact]
    public void RandomTokenShorterThan128Bits_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomToken.Create(8));
    }

    [Fact]
    public void SecretHash_IsSha256Base64Url_NotTheSecret()
    {
        // SHA-256("abc") from FIPS 180-2, base64url without padding.
        Assert.Equal("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0", SecretHash.Compute("abc"));
    }

    [Fact]
    public void MatchingSecret_IsAccepted()
    {
        var secret = RandomToken.Create();

        Assert.True(SecretHash.Matches(secret, SecretHash.Compute(secret)));
    }

    [Fact]
    public void WrongSecret_IsRejected()
    {
        var stored = SecretHash.Compute(RandomToken.Create());

        Assert.False(SecretHash.Matches(RandomToken.Create(), stored));
        Assert.False(SecretHash.Matches("", stored));
    }

    [Theory]
    [InlineData("a", "a", true)]
    [InlineData("a", "b", false)]
    [InlineData("abc", "ab", false)]
    [InlineData("", "", true)]
    public void ConstantTimeComparison_MatchesOrdinalEquality(string left, string right, bool expected)
    {
        Assert.Equal(expected, ConstantTime.EqualsAscii(left, right));
    }

    [Fact]
    public void ConstantTimeComparisonWithNull_IsFalse()
    {
        Assert.False(ConstantTime.EqualsAscii(null, "a"));
        Assert.False(ConstantTime.EqualsAscii("a", null));
        Assert.False(ConstantTime.EqualsAscii(null, null));
    }
}
