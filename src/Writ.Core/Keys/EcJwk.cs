using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Writ.Core.Keys;

/// <summary>P-256 public keys as JWKs (RFC 7517/7518) and their RFC 7638 thumbprints.</summary>
internal static class EcJwk
{
    public const string Curve = "P-256";

    public static string Thumbprint(ECParameters parameters)
    {
        // RFC 7638: the required members only, in lexicographic order, no whitespace.
        var canonical = "{\"crv\":\"" + Curve + "\",\"kty\":\"EC\",\"x\":\"" + X(parameters) + "\",\"y\":\"" + Y(parameters) + "\"}";
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    public static string PublicJson(ECParameters parameters, string kid, string use, string? algorithm)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, parameters, kid, use, algorithm);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static void Write(Utf8JsonWriter writer, ECParameters parameters, string kid, string use, string? algorithm)
    {
        writer.WriteStartObject();
        writer.WriteString("kty", "EC");
        writer.WriteString("crv", Curve);
        writer.WriteString("x", X(parameters));
        writer.WriteString("y", Y(parameters));
        writer.WriteString("kid", kid);
        if (algorithm is not null)
        {
            writer.WriteString("alg", algorithm);
        }

        writer.WriteString("use", use);
        writer.WriteEndObject();
    }

    /// <summary>Reads the public point of a stored P-256 JWK; throws <see cref="KeyRingException"/> when malformed.</summary>
    public static ECParameters ReadPublic(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.GetProperty("kty").GetString() != "EC" || root.GetProperty("crv").GetString() != Curve)
            {
                throw new KeyRingException("a stored signing key is not an EC P-256 key");
            }

            var x = Base64Url.DecodeFromChars(root.GetProperty("x").GetString());
            var y = Base64Url.DecodeFromChars(root.GetProperty("y").GetString());
            if (x.Length != 32 || y.Length != 32)
            {
                throw new KeyRingException("a stored signing key has a malformed public point");
            }

            return new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new KeyRingException("a stored signing key has a malformed public JWK", ex);
        }
    }

    private static string X(ECParameters parameters) => Base64Url.EncodeToString(parameters.Q.X);

    private static string Y(ECParameters parameters) => Base64Url.EncodeToString(parameters.Q.Y);
}
