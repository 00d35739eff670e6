using System.Security.Cryptography;
using Writ.Core.Keys;

namespace Writ.Core.Tests.Keys;

public sealed class RootKeyTests
{
    private static readonly byte[] Secret = "private key bytes"u8.ToArray();

    [Fact]
    public void Sealed_OpensWithSameKeyPurposeAndAssociatedData()
    {
        using var key = RootKey.Generate();

        var sealedData = key.Seal(Secret, "test", "kid=1");

        Assert.Equal(Secret, key.TryOpen(sealedData, "test", "kid=1"));
    }

    [Fact]
    public void SealedData_DoesNotContainThePlaintext_AndDiffersEachTime()
    {
        using var key = RootKey.Generate();

        var one = key.Seal(Secret, "test", "kid=1");
        var two = key.Seal(Secret, "test", "kid=1");

        Assert.Equal(-1, one.AsSpan().IndexOf(Secret));
        Assert.NotEqual(one, two);
    }

    [Fact]
    public void WrongRootKey_FailsClosed()
    {
        using var key = RootKey.Generate();
        using var other = RootKey.Generate();

        Assert.Null(other.TryOpen(key.Seal(Secret, "test", "kid=1"), "test", "kid=1"));
    }

    [Fact]
    public void OtherAssociatedData_FailsClosed()
    {
        using var key = RootKey.Generate();

        Assert.Null(key.TryOpen(key.Seal(Secret, "test", "kid=1"), "test", "kid=2"));
    }

    [Fact]
    public void OtherPurpose_FailsClosed()
    {
        using var key = RootKey.Generate();

        Assert.Null(key.TryOpen(key.Seal(Secret, "test", "kid=1"), "other", "kid=1"));
    }

    [Fact]
    public void TamperedCiphertext_FailsClosed()
    {
        using var key = RootKey.Generate();
        var sealedData = key.Seal(Secret, "test", "kid=1");
        sealedData[^1] ^= 1;

        Assert.Null(key.TryOpen(sealedData, "test", "kid=1"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(28)]
    public void TruncatedData_FailsClosed(int length)
    {
        using var key = RootKey.Generate();
        var sealedData = key.Seal(Secret, "test", "kid=1");

        Assert.Null(key.TryOpen(sealedData.AsSpan(0, length), "test", "kid=1"));
    }

    [Fact]
    public void Id_IsStablePerKey_AndRevealsNothingOfIt()
    {
        var bytes = RandomNumberGenerator.GetBytes(32);
        using var one = RootKey.FromBytes(bytes);
        using var two = RootKey.FromBase64(Convert.ToBase64String(bytes));
        using var other = RootKey.Generate();

        Assert.Equal(one.Id, two.Id);
        Assert.NotEqual(one.Id, other.Id);
        Assert.StartsWith("rk_", one.Id, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(bytes), one.Id, StringComparison.Ordinal);
    }

    [Fact]
    public void Base64UrlForm_IsAccepted()
    {
        var bytes = RandomNumberGenerator.GetBytes(32);
        using var standard = RootKey.FromBytes(bytes);
        using var url = RootKey.FromBase64(System.Buffers.Text.Base64Url.EncodeToString(bytes));

        Assert.Equal(standard.Id, url.Id);
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("AAAA")]
    [InlineData("")]
    public void MalformedRootKey_IsRefused(string text)
    {
        var error = Assert.Throws<RootKeyException>(() => RootKey.FromBase64(text));

        Assert.Contains("32", error.Message, StringComparison.Ordinal);
    }
}
