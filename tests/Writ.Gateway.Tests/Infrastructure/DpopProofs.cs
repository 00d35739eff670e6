using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Writ.Gateway.Tests.Infrastructure;

/// <summary>RFC 9449 DPoP proofs signed with a test key.</summary>
internal static class DpopProofs
{
    public static string Create(ECDsa key, string method, string url, string? accessToken = null)
    {
        var p = key.ExportParameters(false);
        var header = new Dictionary<string, object>
        {
            ["typ"] = "dpop+jwt",
            ["alg"] = "ES256",
            ["jwk"] = new Dictionary<string, string> { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = Base64Url.EncodeToString(p.Q.X), ["y"] = Base64Url.EncodeToString(p.Q.Y) },
        };
        var payload = new Dictionary<string, object> { ["htm"] = method, ["htu"] = url, ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["jti"] = Guid.NewGuid().ToString("N") };
        if (accessToken is not null)
        {
            payload["ath"] = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));
        }

        var input = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(payload));
        var signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256);
        return input + "." + Base64Url.EncodeToString(signature);
    }
}
