using Writ.Core.Identity;

namespace Writ.Core.Tests.Identity;

public sealed class JoseHeaderGuardTests
{
    private static readonly string[] Es256 = ["ES256"];
    private static readonly string?[] NoneOrJwt = [null, "JWT"];
    private static readonly object Payload = new { iss = "a", sub = "a" };

    private static string? Error(object header, string?[]? types = null)
    {
        var token = JoseHeaderGuard.Read(TestJwt.Text(header, Payload), Es256, types ?? NoneOrJwt, out var error);
        Assert.Equal(error is null, token is not null);
        return error;
    }

    [Fact]
    public void PlainEs256WithKid_IsAccepted() => Assert.Null(Error(new { alg = "ES256", kid = "k", typ = "JWT" }));

    [Fact]
    public void AlgNone_IsRejected() => Assert.Contains("alg none", Error(new { alg = "none", kid = "k" }), StringComparison.Ordinal);

    [Fact]
    public void AlgNoneUppercase_IsRejected() => Assert.NotNull(Error(new { alg = "NONE", kid = "k" }));

    [Fact]
    public void MissingAlg_IsRejected() => Assert.NotNull(Error(new { kid = "k" }));

    [Fact]
    public void Hs256_IsRejected() => Assert.Contains("HS256", Error(new { alg = "HS256", kid = "k" }), StringComparison.Ordinal);

    [Fact]
    public void AlgorithmNotOnTheList_IsRejected() => Assert.Contains("RS256", Error(new { alg = "RS256", kid = "k" }), StringComparison.Ordinal);

    [Theory]
    [InlineData("jku")]
    [InlineData("x5u")]
    [InlineData("jwk")]
    [InlineData("x5c")]
    [InlineData("crit")]
    public void KeyReferenceOrCritHeader_IsRejected(string name)
    {
        var header = new Dictionary<string, object> { ["alg"] = "ES256", ["kid"] = "k", [name] = "https://attacker.example" };

        Assert.Contains(name, Error(header), StringComparison.Ordinal);
    }

    [Fact]
    public void X5tThumbprintHint_IsIgnored() => Assert.Null(Error(new Dictionary<string, object> { ["alg"] = "ES256", ["kid"] = "k", ["x5t"] = "abc" }));

    [Fact]
    public void MissingKid_IsRejected() => Assert.Contains("kid", Error(new { alg = "ES256" }), StringComparison.Ordinal);

    [Fact]
    public void WrongTyp_IsRejected() => Assert.Contains("at+jwt", Error(new { alg = "ES256", kid = "k", typ = "at+jwt" }), StringComparison.Ordinal);

    [Fact]
    public void MissingTyp_WherePinned_IsRejected() => Assert.NotNull(Error(new { alg = "ES256", kid = "k" }, ["JWT"]));

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b")]
    [InlineData("a.b.c.d.e")]
    [InlineData("!!!.###.$$$")]
    public void MalformedText_IsRejected(string text)
    {
        Assert.Null(JoseHeaderGuard.Read(text, Es256, NoneOrJwt, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void HugeToken_IsRejected()
    {
        var text = TestJwt.Text(new { alg = "ES256", kid = "k" }, new { pad = new string('a', 10_000) });

        Assert.Null(JoseHeaderGuard.Read(text, Es256, NoneOrJwt, out var error));
        Assert.Contains("longer", error, StringComparison.Ordinal);
    }
}
