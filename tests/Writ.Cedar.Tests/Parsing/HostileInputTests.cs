using System.Text;
using Writ.Cedar.Json;
using Writ.Cedar.Parsing;

namespace Writ.Cedar.Tests.Parsing;

public sealed class HostileInputTests
{
    [Theory]
    [InlineData("(", ")")]
    [InlineData("[", "]")]
    [InlineData("{a: ", "}")]
    [InlineData("if true then ", " else 1")]
    [InlineData("ip(", ")")]
    public void DeepNesting_IsRejectedWithLimitError(string open, string close)
    {
        var text = new StringBuilder();
        for (var i = 0; i < 100_000; i++)
        {
            text.Append(open);
        }

        text.Append('1');
        for (var i = 0; i < 100_000; i++)
        {
            text.Append(close);
        }

        var ex = Assert.Throws<CedarParseException>(() => PolicyParser.ParseExpression(text.ToString()));
        Assert.Contains("nesting", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(" + 1")]
    [InlineData(" && true")]
    [InlineData(".a")]
    [InlineData(" * 2")]
    public void LongOperatorChain_IsRejectedWithLimitError(string step)
    {
        var text = "1" + string.Concat(Enumerable.Repeat(step, 50_000));
        var ex = Assert.Throws<CedarParseException>(() => PolicyParser.ParseExpression(text));
        Assert.Contains("nesting", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfiguredDepth_IsEnforced()
    {
        var options = new ParserOptions { MaxNestingDepth = 5 };
        Assert.NotNull(PolicyParser.ParseExpression("((1))", options));
        Assert.Throws<CedarParseException>(() => PolicyParser.ParseExpression("((((((1))))))", options));
    }

    [Fact]
    public void OversizedText_IsRejectedBeforeParsing()
    {
        var options = new ParserOptions { MaxSourceLength = 1000 };
        var ex = Assert.Throws<CedarParseException>(() => PolicyParser.ParsePolicies(new string(' ', 1001), options));
        Assert.Contains("limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MegabytePolicySet_ParsesInBoundedTime()
    {
        var sb = new StringBuilder();
        var i = 0;
        while (sb.Length < 1_000_000)
        {
            sb.Append("permit(principal == User::\"u").Append(i++).Append("\", action, resource) when { context.a.b + 1 > 2 && [1,2,3].contains(context.x) };\n");
        }

        var ps = PolicyParser.ParsePolicies(sb.ToString());
        Assert.Equal(i, ps.Count);
    }

    [Fact]
    public void HugeSetLiteral_Parses()
    {
        var text = "[" + string.Join(",", Enumerable.Range(0, 100_000)) + "]";
        Assert.NotNull(PolicyParser.ParseExpression(text));
    }

    [Fact]
    public void HugeIntegerLiteral_IsRejected() =>
        Assert.Throws<CedarParseException>(() => PolicyParser.ParseExpression(new string('9', 100_000)));

    [Fact]
    public void TooManyPolicies_IsRejected()
    {
        var options = new ParserOptions { MaxPolicies = 3 };
        var text = string.Concat(Enumerable.Repeat("permit(principal, action, resource);", 4));
        Assert.Throws<CedarParseException>(() => PolicyParser.ParsePolicies(text, options));
    }

    [Fact]
    public void DeepJsonPolicy_IsRejected()
    {
        var sb = new StringBuilder("{\"effect\":\"permit\",\"principal\":{\"op\":\"All\"},\"action\":{\"op\":\"All\"},\"resource\":{\"op\":\"All\"},\"conditions\":[{\"kind\":\"when\",\"body\":");
        for (var i = 0; i < 300; i++)
        {
            sb.Append("{\"!\":{\"arg\":");
        }

        sb.Append("{\"Value\":true}");
        for (var i = 0; i < 300; i++)
        {
            sb.Append("}}");
        }

        sb.Append("}]}");
        Assert.Throws<CedarJsonException>(() => PolicyJson.ParsePolicy(sb.ToString()));
    }

    [Fact]
    public void DeepJsonValue_IsRejected()
    {
        var json = new string('[', 10_000) + new string(']', 10_000);
        Assert.Throws<CedarJsonException>(() => ValueJson.Parse(json));
    }

    [Fact]
    public void LongHasPathInJson_IsRejected()
    {
        var attrs = string.Join(",", Enumerable.Range(0, 5000).Select(i => $"\"a{i}\""));
        var json = "{\"effect\":\"permit\",\"principal\":{\"op\":\"All\"},\"action\":{\"op\":\"All\"},\"resource\":{\"op\":\"All\"},\"conditions\":[{\"kind\":\"when\",\"body\":{\"has\":{\"left\":{\"Var\":\"context\"},\"attr\":[" + attrs + "]}}}]}";
        Assert.Throws<CedarJsonException>(() => PolicyJson.ParsePolicy(json));
    }

    [Fact]
    public void LongHasPathInText_IsRejected()
    {
        var text = "context has " + string.Join(".", Enumerable.Range(0, 5000).Select(i => $"a{i}"));
        Assert.Throws<CedarParseException>(() => PolicyParser.ParseExpression(text));
    }

    [Theory]
    [InlineData("\"\\uD800\"")]
    [InlineData("{\"\\uDC00\": 1}")]
    [InlineData("{\"__entity\": {\"type\": \"A\", \"id\": \"\\uD800x\"}}")]
    public void UnpairedSurrogateEscapeInJson_IsRejected(string json) => Assert.Throws<CedarJsonException>(() => ValueJson.Parse(json));

    [Fact]
    public void UnpairedSurrogateInEntityJson_IsRejected() =>
        Assert.Throws<CedarJsonException>(() => EntityJson.ParseEntities("[{\"uid\": {\"type\": \"A\", \"id\": \"\\uDC00\"}, \"attrs\": {}, \"parents\": []}]"));

    [Fact]
    public void UnpairedSurrogateInPolicyText_IsRejected()
    {
        // Built in code: attribute arguments cannot carry unpaired surrogates.
        Assert.Throws<CedarParseException>(() => PolicyParser.ParsePolicies("permit(principal, action, resource) when { \"\uD800\" == \"\" };"));
        Assert.Throws<CedarParseException>(() => PolicyParser.ParsePolicies("// \uDC00\npermit(principal, action, resource);"));
    }

    [Fact]
    public void InvalidUtf8Bytes_AreAParseError()
    {
        byte[] bytes = [.. "permit(principal, action, resource) when { \""u8, 0xC3, 0x28, .. "\" };"u8];
        var ex = Assert.Throws<CedarParseException>(() => PolicyParser.ParsePoliciesUtf8(bytes));
        Assert.Contains("UTF-8", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidUtf8WithBom_Parses()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. "permit(principal, action, resource) when { \"\u00e9\\u{1F600}\" like \"*\" };"u8];
        Assert.Single(PolicyParser.ParsePoliciesUtf8(bytes));
    }
}
