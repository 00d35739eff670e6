using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace Writ.Sdk;

/// <summary>Reads a private EC P-256 JWK into an <see cref="ECDsa"/> key.</summary>
internal static class PrivateJwk
{
    public static (string KeyId, ECDsa Key) Read(string jwk)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jwk);
        try
        {
            using var document = JsonDocument.Parse(jwk, new JsonDocumentOptions { MaxDepth = 4 });
            var root = document.RootElement;
            if (Text(root, "kty") != "EC" || Text(root, "crv") != "P-256")
            {
                throw new ArgumentException("the key must be an EC P-256 JWK", nameof(jwk));
            }

            var kid = Text(root, "kid") ?? throw new ArgumentException("the JWK needs the 'kid' it was registered with", nameof(jwk));
            var parameters = new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = Bytes(root, "x"), Y = Bytes(root, "y") },
                D = Bytes(root, "d"),
            };
            return (kid, ECDsa.Create(parameters));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or CryptographicException)
        {
            throw new ArgumentException("the JWK is not a valid private EC P-256 key", nameof(jwk), ex);
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[] Bytes(JsonElement root, string name) =>
        Base64Url.DecodeFromChars(Text(root, name) ?? throw new ArgumentException($"the JWK has no '{name}'", nameof(root)));
}
