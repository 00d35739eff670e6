using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Writ.Sdk;

/// <summary>Compact ES256 signing: all the SDK signs is its own assertions and DPoP proofs.</summary>
internal static class Jws
{
    public static string SignEs256(ECDsa key, Action<Utf8JsonWriter> header, Action<Utf8JsonWriter> payload)
    {
        var text = new StringBuilder(512);
        text.Append(Encode(header)).Append('.').Append(Encode(payload));
        var signingInput = Encoding.ASCII.GetBytes(text.ToString());

        // JWS ES256 wants the fixed-width r||s form, which is .NET's default for SignData.
        var signature = key.SignData(signingInput, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return text.Append('.').Append(Base64Url.EncodeToString(signature)).ToString();
    }

    public static string Thumbprint(ECDsa key)
    {
        var p = key.ExportParameters(false);

        // RFC 7638: the required members in lexicographic order, no whitespace.
        var canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + Base64Url.EncodeToString(p.Q.X) + "\",\"y\":\"" + Base64Url.EncodeToString(p.Q.Y) + "\"}";
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    public static void WritePublicJwk(Utf8JsonWriter writer, ECDsa key)
    {
        var p = key.ExportParameters(false);
        writer.WriteStartObject("jwk");
        writer.WriteString("kty", "EC");
        writer.WriteString("crv", "P-256");
        writer.WriteString("x", Base64Url.EncodeToString(p.Q.X));
        writer.WriteString("y", Base64Url.EncodeToString(p.Q.Y));
        writer.WriteEndObject();
    }

    public static string NewId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>The payload of a compact JWT, without checking anything: only for reading our own tokens' hints.</summary>
    public static JsonElement? ReadPayload(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]), new JsonDocumentOptions { MaxDepth = 16 });
            return document.RootElement.Clone();
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }

    private static string Encode(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return Base64Url.EncodeToString(buffer.ToArray());
    }
}
