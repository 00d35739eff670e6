using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Writ.Core.Tasks;
using Writ.Server.Tests.Infrastructure;

namespace Writ.Server.Tests.Conformance;

/// <summary>RFC 9449 §4.3 proof checks against the real replay cache (SQLite), one test per rule.</summary>
public sealed class DpopProofValidationTests : IAsyncLifetime
{
    private const string Url = "https://writ.example/oauth2/token";
    private WritHost host = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => host = await WritHost.StartAsync();

    public ValueTask DisposeAsync() => host.DisposeAsync();

    private DpopProofValidator Validator => new(host.Store.ReplayCache, host.Time, TimeSpan.FromMinutes(1));

    private long Now => host.Time.GetUtcNow().ToUnixTimeSeconds();

    private static Dictionary<string, object?> EcJwk(ECDsa key, string curve)
    {
        var p = key.ExportParameters(false);
        return new() { ["kty"] = "EC", ["crv"] = curve, ["x"] = Base64Url.EncodeToString(p.Q.X), ["y"] = Base64Url.EncodeToString(p.Q.Y) };
    }

    private static Dictionary<string, object?> RsaJwk(RSA key)
    {
        var p = key.ExportParameters(false);
        return new() { ["kty"] = "RSA", ["n"] = Base64Url.EncodeToString(p.Modulus), ["e"] = Base64Url.EncodeToString(p.Exponent) };
    }

    private Dictionary<string, object?> Claims(string htu = Url, string htm = "POST", object? iat = null, string? jti = null) =>
        new() { ["htm"] = htm, ["htu"] = htu, ["iat"] = iat ?? Now, ["jti"] = jti ?? Guid.NewGuid().ToString("N") };

    private static string EcProof(ECDsa key, Dictionary<string, object?> claims, string curve = "P-256", string alg = "ES256", Dictionary<string, object?>? jwk = null) =>
        Jwt.Es256(key, new Dictionary<string, object?> { ["typ"] = "dpop+jwt", ["alg"] = alg, ["jwk"] = jwk ?? EcJwk(key, curve) }, claims);

    private Task<(string? Jkt, string? Error)> ValidateAsync(string proof, string method = "POST", string url = Url, string? accessToken = null) =>
        Validator.ValidateAsync(proof, method, url, accessToken, Ct);

    [Fact]
    public async Task WellFormedProof_YieldsTheRfc7638Thumbprint()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = key.ExportParameters(false);
        var canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + Base64Url.EncodeToString(p.Q.X) + "\",\"y\":\"" + Base64Url.EncodeToString(p.Q.Y) + "\"}";

        var (jkt, error) = await ValidateAsync(EcProof(key, Claims()));

        Assert.Null(error);
        Assert.Equal(Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), jkt);
    }

    [Fact]
    public async Task RsaProof_YieldsTheRfc7638Thumbprint()
    {
        using var key = RSA.Create(2048);
        var p = key.ExportParameters(false);
        var canonical = "{\"e\":\"" + Base64Url.EncodeToString(p.Exponent) + "\",\"kty\":\"RSA\",\"n\":\"" + Base64Url.EncodeToString(p.Modulus) + "\"}";

        var (jkt, error) = await ValidateAsync(Jwt.Rs256(key, new Dictionary<string, object?> { ["typ"] = "dpop+jwt", ["alg"] = "RS256", ["jwk"] = RsaJwk(key) }, Claims()));

        Assert.Null(error);
        Assert.Equal(Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), jkt);
    }

    [Fact]
    public async Task HtuWithQueryFragmentDefaultPortAndUppercaseHost_MatchesTheEndpoint()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var (jkt, error) = await ValidateAsync(EcProof(key, Claims("HTTPS://Writ.Example:443/oauth2/token?x=1#f")));

        Assert.Null(error);
        Assert.NotNull(jkt);
    }

    [Theory]
    [InlineData("https://writ.example/oauth2/Token")]
    [InlineData("https://writ.example/oauth2/token/")]
    [InlineData("http://writ.example/oauth2/token")]
    [InlineData("https://writ.example:8443/oauth2/token")]
    [InlineData("https://other.example/oauth2/token")]
    [InlineData("/oauth2/token")]
    public async Task HtuForAnotherUrl_IsRejected(string htu)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.NotNull((await ValidateAsync(EcProof(key, Claims(htu)))).Error);
    }

    [Fact]
    public async Task LowercaseHtm_IsRejected()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.NotNull((await ValidateAsync(EcProof(key, Claims(htm: "post")))).Error);
    }

    [Fact]
    public async Task IatAsAString_IsRejected()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.NotNull((await ValidateAsync(EcProof(key, Claims(iat: Now.ToString(System.Globalization.CultureInfo.InvariantCulture))))).Error);
    }

    [Theory]
    [InlineData(-120)]
    [InlineData(120)]
    public async Task IatOutsideTheWindow_IsRejected(int offsetSeconds)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.NotNull((await ValidateAsync(EcProof(key, Claims(iat: Now + offsetSeconds)))).Error);
    }

    [Fact]
    public async Task IatBeyondTheLastRepresentableDate_IsRejected()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.NotNull((await ValidateAsync(EcProof(key, Claims(iat: 99_999_999_999_999L)))).Error);
    }

    [Fact]
    public async Task NumericJti_IsRejected()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var claims = Claims();
        claims["jti"] = 12345;

        Assert.NotNull((await ValidateAsync(EcProof(key, claims))).Error);
    }

    [Fact]
    public async Task ReplayedJti_IsRejected()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var proof = EcProof(key, Claims(jti: "once"));

        Assert.Null((await ValidateAsync(proof)).Error);
        Assert.NotNull((await ValidateAsync(proof)).Error);
    }

    [Fact]
    public async Task P384KeyClaimingEs256_IsRejected()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.NotNull((await ValidateAsync(EcProof(key, Claims(), curve: "P-384"))).Error);
    }

    [Fact]
    public async Task P256KeyLabelledP384_IsRejected()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.NotNull((await ValidateAsync(EcProof(key, Claims(), curve: "P-384"))).Error);
    }

    [Fact]
    public async Task RsaKeyShorterThan2048Bits_IsRejected()
    {
        using var key = RSA.Create(1024);

        var proof = Jwt.Rs256(key, new Dictionary<string, object?> { ["typ"] = "dpop+jwt", ["alg"] = "RS256", ["jwk"] = RsaJwk(key) }, Claims());

        Assert.NotNull((await ValidateAsync(proof)).Error);
    }

    [Fact]
    public async Task JwkWithPrivateMember_IsRejected()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var jwk = EcJwk(key, "P-256");
        jwk["d"] = Base64Url.EncodeToString(key.ExportParameters(true).D);

        Assert.NotNull((await ValidateAsync(EcProof(key, Claims(), jwk: jwk))).Error);
    }

    [Fact]
    public async Task HmacOrUnsignedProof_IsRejected()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var jwk = new Dictionary<string, object?> { ["kty"] = "oct", ["k"] = Base64Url.EncodeToString(secret) };

        Assert.NotNull((await ValidateAsync(Jwt.Hs256(secret, new Dictionary<string, object?> { ["typ"] = "dpop+jwt", ["alg"] = "HS256", ["jwk"] = jwk }, Claims()))).Error);
        Assert.NotNull((await ValidateAsync(Jwt.Unsigned(new Dictionary<string, object?> { ["typ"] = "dpop+jwt", ["alg"] = "none", ["jwk"] = jwk }, Claims()))).Error);
    }

    [Fact]
    public async Task ProofWithoutAthForAnAccessToken_OrWithAnotherTokensAth_IsRejected()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var withOtherAth = Claims();
        withOtherAth["ath"] = Base64Url.EncodeToString(SHA256.HashData("other"u8));

        Assert.NotNull((await ValidateAsync(EcProof(key, Claims()), accessToken: "token")).Error);
        Assert.NotNull((await ValidateAsync(EcProof(key, withOtherAth), accessToken: "token")).Error);
    }
}
