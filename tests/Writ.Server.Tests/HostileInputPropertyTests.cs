using System.Text;
using CsCheck;
using Writ.Core.Identity;
using Writ.Server.Http;

namespace Writ.Server.Tests;

/// <summary>Arbitrary input never makes the parsers throw: they answer with an error value instead.</summary>
public sealed class HostileInputPropertyTests
{
    private static readonly string[] Es256 = ["ES256"];
    private static readonly string?[] NoneOrJwt = [null, "JWT"];

    [Fact]
    public void FormParser_NeverThrows_OnArbitraryBytes() =>
        Gen.Byte.Array[0, 512].Sample(bytes =>
        {
            var result = FormParser.Parse(bytes);
            Assert.True(result.Error is not null || result.Values.Count <= 32);
        });

    [Fact]
    public void FormParser_NeverThrows_OnFormLikeText() =>
        Gen.String[Gen.Char["a=%&+zZ09\u00e9\u0000"], 0, 256].Sample(text => FormParser.Parse(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void JoseHeaderGuard_NeverThrows_OnArbitraryText() =>
        Gen.String[0, 300].Sample(text => JoseHeaderGuard.Read(text, Es256, NoneOrJwt, out _));

    [Fact]
    public void JoseHeaderGuard_NeverThrows_OnThreeArbitraryBase64Parts() =>
        Gen.Select(Gen.Byte.Array[0, 120], Gen.Byte.Array[0, 120], Gen.Byte.Array[0, 80]).Sample((header, payload, signature) =>
        {
            var text = Convert.ToBase64String(header).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "."
                + Convert.ToBase64String(payload).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "."
                + Convert.ToBase64String(signature).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            JoseHeaderGuard.Read(text, Es256, NoneOrJwt, out _);
        });

    [Fact]
    public void JoseHeaderGuard_NeverThrows_OnArbitraryJsonHeaders() =>
        Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 0, 8], Gen.String[0, 30]).Sample((name, value) =>
        {
            var header = "{\"alg\":\"ES256\",\"kid\":\"k\",\"" + name + "\":" + System.Text.Json.JsonSerializer.Serialize(value) + "}";
            var text = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)) + ".e30.c2ln";
            JoseHeaderGuard.Read(text, Es256, NoneOrJwt, out _);
        });
}
