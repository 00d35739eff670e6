using System.Text.Json;
using Writ.Cedar.Authorization;
using Writ.Cedar.Formatting;
using Writ.Cedar.Json;
using Writ.Cedar.Parsing;
using Writ.Cedar.Testing;
using Writ.Cedar.Tests.Conformance;

namespace Writ.Cedar.Tests.Formatting;

public sealed class RoundTripTests
{
    [Fact]
    public void Formatter_PrintsCanonicalText()
    {
        var p = PolicyParser.ParsePolicy("""
            @id("a") forbid(principal==User::"x",action in[Action::"r"],resource is Doc)
            unless{(1+2)*3<4||!(context has "a b")&&context.s like "a\*b*"};
            """);
        Assert.Equal(
            "@id(\"a\")\nforbid (\n  principal == User::\"x\",\n  action in [Action::\"r\"],\n  resource is Doc\n)\nunless {\n  (1 + 2) * 3 < 4 || !(context has \"a b\") && context.s like \"a\\*b*\"\n};",
            PolicyFormatter.Format(p));
    }

    [Theory]
    [InlineData("-(5)")]
    [InlineData("-(-5)")]
    [InlineData("(-5).foo")]
    [InlineData("1 - (2 - 3)")]
    [InlineData("(1 == 2) == false")]
    [InlineData("(if true then 1 else 2) + 3")]
    [InlineData("(principal in Group::\"g\") is Bool")]
    [InlineData("principal is User in (if true then Group::\"a\" else Group::\"b\")")]
    [InlineData("{\"if\": 1, \"a b\": [2], c: {}}[\"a b\"]")]
    [InlineData("\"tab\\tquote\\\"nul\\0\\u{7}\"")]
    [InlineData("decimal(\"1.0\").lessThan(decimal(\"2.0\"))")]
    [InlineData("-9223372036854775808")]
    public void TrickyExpressions_SurviveTextAndJsonRoundTrips(string text)
    {
        var e = PolicyParser.ParseExpression(text);
        var printed = PolicyFormatter.FormatExpr(e);
        Assert.Equal(printed, PolicyFormatter.FormatExpr(PolicyParser.ParseExpression(printed)));
        using var doc = JsonDocument.Parse(PolicyJson.ToJson(e));
        Assert.Equal(printed, PolicyFormatter.FormatExpr(PolicyJson.ReadExpr(doc.RootElement, 0)));
    }

    [Fact]
    public void EveryCorpusPolicySet_RoundTripsThroughTextAndJson()
    {
        var root = ConformanceData.Root;
        var input = TestInput.Open(Path.Combine(root, "corpus-tests.tar.gz"), root);
        var checkedSets = 0;
        foreach (var file in input.TestFiles)
        {
            using var test = JsonDocument.Parse(input.ReadTestFile(file));
            var text = input.ReadReferenced(test.RootElement.GetProperty("policies").GetString()!);
            var policies = PolicyParser.ParsePolicies(text);
            var formatted = PolicyFormatter.Format(policies);
            Assert.Equal(formatted, PolicyFormatter.Format(PolicyParser.ParsePolicies(formatted)));
            var viaJson = PolicyJson.ParsePolicySet(PolicyJson.ToJson(new PolicySet(policies)));
            Assert.Equal(formatted, PolicyFormatter.Format(viaJson.Policies.Concat(viaJson.Templates.Values)));
            checkedSets++;
        }

        Assert.True(checkedSets > 3900);
    }
}
