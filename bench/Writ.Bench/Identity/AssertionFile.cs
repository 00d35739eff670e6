using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Writ.Bench.Identity;

/// <summary>
/// Writes a registered-key agent's public JWK and a file of RFC 7523 assertions signed before any
/// timing starts, so a load run measures only the server's work.
/// </summary>
internal static class AssertionFile
{
    public static void Write(string spiffeId, string audience, int count, string publicJwkPath, string assertionsPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var securityKey = new ECDsaSecurityKey(key) { KeyId = "bench-agent-key" };
        var p = key.ExportParameters(includePrivateParameters: false);
        var jwk = new Dictionary<string, string>
        {
            ["kty"] = "EC",
            ["crv"] = "P-256",
            ["x"] = Base64UrlEncoder.Encode(p.Q.X),
            ["y"] = Base64UrlEncoder.Encode(p.Q.Y),
            ["kid"] = securityKey.KeyId,
            ["alg"] = "ES256",
        };
        File.WriteAllText(publicJwkPath, JsonSerializer.Serialize(jwk));

        var handler = new JsonWebTokenHandler();
        var credentials = new SigningCredentials(securityKey, SecurityAlgorithms.EcdsaSha256);
        var now = DateTime.UtcNow;
        var lines = new string[count];
        Parallel.For(0, count, i =>
        {
            lines[i] = handler.CreateToken(new SecurityTokenDescriptor
            {
                Issuer = spiffeId,
                Audience = audience,
                Claims = new Dictionary<string, object> { ["sub"] = spiffeId, ["jti"] = Guid.NewGuid().ToString("N") },
                IssuedAt = now,
                NotBefore = now,
                Expires = now.AddMinutes(5),
                SigningCredentials = credentials,
            });
        });
        File.WriteAllLines(assertionsPath, lines);
    }
}
