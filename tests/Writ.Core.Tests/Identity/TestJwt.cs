using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Writ.Core.Tests.Identity;

/// <summary>Builds JWT text from header and payload objects; the signature is a placeholder (header checks come first).</summary>
internal static class TestJwt
{
    public static string Text(object header, object payload, string signature = "c2ln") =>
        Part(header) + "." + Part(payload) + "." + signature;

    public static JsonWebToken Token(object payload) => new(Text(new { alg = "ES256", kid = "k" }, payload));

    private static string Part(object value) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value)));
}
