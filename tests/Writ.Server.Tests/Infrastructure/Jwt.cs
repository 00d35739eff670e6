using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Writ.Server.Tests.Infrastructure;

/// <summary>Hand-built compact JWTs, so tests can craft exactly the headers and signatures an attacker would.</summary>
internal static class Jwt
{
    public static string Es256(ECDsa key, IDictionary<string, object?> header, IDictionary<string, object?> payload)
    {
        var input = SigningInput(header, payload);
        var signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256);
        return input + "." + Base64Url.EncodeToString(signature);
    }

    public static string Rs256(RSA key, IDictionary<string, object?> header, IDictionary<string, object?> payload)
    {
        var input = SigningInput(header, payload);
        var signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return input + "." + Base64Url.EncodeToString(signature);
    }

    public static string Hs256(byte[] secret, IDictionary<string, object?> header, IDictionary<string, object?> payload)
    {
        var input = SigningInput(header, payload);
        return input + "." + Base64Url.EncodeToString(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)));
    }

    public static string Unsigned(IDictionary<string, object?> header, IDictionary<string, object?> payload) =>
        SigningInput(header, payload) + ".";

    public static JsonElement DecodePart(string token, int part)
    {
        var text = token.Split('.')[part];
        return JsonDocument.Parse(Base64Url.DecodeFromChars(text)).RootElement.Clone();
    }

    private static string SigningInput(IDictionary<string, object?> header, IDictionary<string, object?> payload) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(payload));
}
