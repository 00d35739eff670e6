using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Writ.Server.Tests.Infrastructure;

/// <summary>Checks an issued identity token the way a relying party would: JOSE header, ES256 signature against the published JWKS, JWT-SVID claims.</summary>
internal static class IdentityTokens
{
    public static async Task<JsonElement> VerifyAsync(WritHost host, string token, string expectedSub, string expectedAud)
    {
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        var header = Jwt.DecodePart(token, 0);
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        Assert.Equal("JWT", header.GetProperty("typ").GetString());
        var kid = header.GetProperty("kid").GetString();

        var jwks = await host.JwksAsync();
        var jwk = jwks.Keys.EnumerateArray().Single(k => k.GetProperty("kid").GetString() == kid);
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars(jwk.GetProperty("x").GetString()), Y = Base64Url.DecodeFromChars(jwk.GetProperty("y").GetString()) },
        });
        Assert.True(key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256), "signature does not verify against the published JWKS");

        var payload = Jwt.DecodePart(token, 1);
        Assert.Equal(expectedSub, payload.GetProperty("sub").GetString());
        Assert.Equal(expectedAud, payload.GetProperty("aud").GetString());
        Assert.Equal(host.Issuer, payload.GetProperty("iss").GetString());
        Assert.False(string.IsNullOrEmpty(payload.GetProperty("jti").GetString()));
        var iat = payload.GetProperty("iat").GetInt64();
        var exp = payload.GetProperty("exp").GetInt64();
        Assert.Equal(host.Time.GetUtcNow().ToUnixTimeSeconds(), iat);
        Assert.True(exp > iat && exp - iat <= 3600);
        return payload;
    }

    public static string AccessToken(JsonElement tokenResponse) => tokenResponse.GetProperty("access_token").GetString()!;
}
