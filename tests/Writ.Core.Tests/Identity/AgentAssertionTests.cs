using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Writ.Core.Identity;

namespace Writ.Core.Tests.Identity;

/// <summary>The registered-key hot path's own JWS reader refuses everything <see cref="JoseHeaderGuard"/> refuses, and more.</summary>
public sealed class AgentAssertionTests
{
    private static readonly object Claims = new { iss = "spiffe://writ.local/agent/a", sub = "spiffe://writ.local/agent/a", aud = "https://writ.example/oauth2/token", exp = 2_000_000_000, jti = "j" };

    private static string? Error(object header, object? payload = null)
    {
        AgentAssertion.Read(TestJwt.Text(header, payload ?? Claims), out var error);
        return error;
    }

    [Theory]
    [InlineData("none", "alg none")]
    [InlineData("", "alg none")]
    [InlineData("HS256", "symmetric")]
    [InlineData("RS256", "not accepted")]
    [InlineData("ES384", "not accepted")]
    [InlineData("es256", "not accepted")]
    public void OtherAlgorithm_IsRejected(string alg, string reason) =>
        Assert.Contains(reason, Error(new { alg, kid = "k" }), StringComparison.Ordinal);

    [Theory]
    [InlineData("jku")]
    [InlineData("x5u")]
    [InlineData("jwk")]
    [InlineData("x5c")]
    [InlineData("crit")]
    [InlineData("enc")]
    [InlineData("zip")]
    public void KeyReferenceOrExtensionHeader_IsRejected(string header)
    {
        var fields = new Dictionary<string, object> { ["alg"] = "ES256", ["kid"] = "k", [header] = "x" };

        Assert.NotNull(Error(fields));
    }

    [Fact]
    public void MissingKid_IsRejected() => Assert.Contains("kid", Error(new { alg = "ES256" }), StringComparison.Ordinal);

    [Fact]
    public void OtherTyp_IsRejected() => Assert.Contains("type", Error(new { alg = "ES256", kid = "k", typ = "at+jwt" }), StringComparison.Ordinal);

    [Theory]
    [InlineData("JWT")]
    [InlineData("jwt")]
    public void JwtTyp_IsAccepted(string typ) => Assert.Null(Error(new { alg = "ES256", kid = "k", typ }));

    [Fact]
    public void FractionalExp_IsTruncated()
    {
        var token = AgentAssertion.Read(TestJwt.Text(new { alg = "ES256", kid = "k" }, new { exp = 1_900_000_000.75, jti = "j" }), out _);

        Assert.Equal(1_900_000_000, token!.ExpiresAt);
    }

    [Theory]
    [InlineData("{\"aud\":[\"a\",1]}")]
    [InlineData("{\"aud\":{}}")]
    [InlineData("{\"exp\":\"2000000000\"}")]
    [InlineData("{\"iss\":[\"x\"]}")]
    [InlineData("{\"exp\":1e300}")]
    [InlineData("[1,2]")]
    public void WronglyTypedPayload_IsRejected(string payload)
    {
        var text = TestJwt.Text(new { alg = "ES256", kid = "k" }, new { }).Split('.');
        var forged = text[0] + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload)) + "." + text[2];

        Assert.Null(AgentAssertion.Read(forged, out var error));
        Assert.Contains("well-formed", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Signature_VerifiesOnlyWithTheSigningKey_AndOnlyOverTheExactText()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var input = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new { alg = "ES256", kid = "k" })) + "." + Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(Claims));
        var text = input + "." + Base64Url.EncodeToString(key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256));

        var token = AgentAssertion.Read(text, out _)!;

        Assert.True(token.VerifySignature(key));
        Assert.False(token.VerifySignature(other));
        Assert.False(AgentAssertion.Read(text[..^2] + (text[^2] == 'A' ? "B" : "A") + text[^1], out _)!.VerifySignature(key));
    }
}
