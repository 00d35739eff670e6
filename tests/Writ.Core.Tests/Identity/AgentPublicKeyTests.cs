using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Writ.Core.Identity;

namespace Writ.Core.Tests.Identity;

public sealed class AgentPublicKeyTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static Dictionary<string, string> Jwk(ECDsa key)
    {
        var p = key.ExportParameters(false);
        return new() { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64Url.EncodeToString(p.Q.X), ["y"] = Base64Url.EncodeToString(p.Q.Y) };
    }

    private static string? Error(object jwk)
    {
        AgentPublicKey.TryCreate(JsonSerializer.SerializeToElement(jwk), Now, out var key, out var error);
        Assert.Equal(error is null, key is not null);
        return error;
    }

    [Fact]
    public void P256Key_WithoutKid_IsIdentifiedByItsThumbprint()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var jwk = Jwk(ecdsa);

        Assert.True(AgentPublicKey.TryCreate(JsonSerializer.SerializeToElement(jwk), Now, out var key, out _));

        Assert.Equal(key!.Thumbprint, key.Kid);
        Assert.Equal(43, key.Thumbprint.Length);
        using var stored = JsonDocument.Parse(key.Jwk);
        Assert.False(stored.RootElement.TryGetProperty("d", out _));
    }

    [Fact]
    public void ThumbprintFollowsRfc7638()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var jwk = Jwk(ecdsa);
        var canonical = $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{jwk["x"]}\",\"y\":\"{jwk["y"]}\"}}";
        var expected = Base64Url.EncodeToString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical)));

        AgentPublicKey.TryCreate(JsonSerializer.SerializeToElement(jwk), Now, out var key, out _);

        Assert.Equal(expected, key!.Thumbprint);
    }

    [Fact]
    public void PrivateKey_IsRejected()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var jwk = Jwk(ecdsa);
        jwk["d"] = Base64Url.EncodeToString(ecdsa.ExportParameters(true).D);

        Assert.Contains("private", Error(jwk), StringComparison.Ordinal);
    }

    [Fact]
    public void PointNotOnCurve_IsRejected()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var jwk = Jwk(ecdsa);
        jwk["y"] = jwk["x"];

        Assert.NotNull(Error(jwk));
    }

    [Fact]
    public void OtherCurve_IsRejected()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var p = ecdsa.ExportParameters(false);

        Assert.NotNull(Error(new { kty = "EC", crv = "P-384", x = Base64Url.EncodeToString(p.Q.X), y = Base64Url.EncodeToString(p.Q.Y) }));
    }

    [Fact]
    public void SymmetricKey_IsRejected() => Assert.NotNull(Error(new { kty = "oct", k = "c2VjcmV0" }));

    [Fact]
    public void NonObject_IsRejected() => Assert.NotNull(Error("just a string"));

    [Fact]
    public void WrongAlg_IsRejected()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var jwk = Jwk(ecdsa);
        jwk["alg"] = "HS256";

        Assert.Contains("alg", Error(jwk), StringComparison.Ordinal);
    }
}
