using Writ.Cedar.Ast;
using Writ.Cedar.Parsing;
using Writ.Cedar.Values;

namespace Writ.Cedar.Tests.Parsing;

public sealed class ParserTests
{
    [Fact]
    public void Policies_GetIdsInTextOrder()
    {
        var ps = PolicyParser.ParsePolicies("permit(principal, action, resource); forbid(principal, action, resource) when { true };");
        Assert.Equal(["policy0", "policy1"], ps.Select(p => p.Id));
        Assert.Equal(Effect.Forbid, ps[1].Effect);
    }

    [Fact]
    public void Scope_AllFormsParse()
    {
        var p = PolicyParser.ParsePolicy("""
            permit(principal is A::User in A::Group::"g", action in [Action::"a", A::Action::"b"], resource == Doc::"d");
            """);
        Assert.Equal(ScopeKind.IsIn, p.Principal.Kind);
        Assert.Equal("A::User", p.Principal.EntityType!.Name);
        Assert.Equal(new EntityUid("A::Group", "g"), p.Principal.Entity);
        Assert.Equal(ActionScopeKind.InList, p.Action.Kind);
        Assert.Equal(2, p.Action.Entities.Count);
        Assert.Equal(ScopeKind.Eq, p.Resource.Kind);
    }

    [Fact]
    public void Template_SlotsAreRecognised()
    {
        var p = PolicyParser.ParsePolicy("permit(principal == ?principal, action, resource in ?resource);");
        Assert.True(p.IsTemplate);
        Assert.Equal([SlotId.Principal, SlotId.Resource], p.Slots);
    }

    [Theory]
    [InlineData("permit(principal == ?resource, action, resource);")]
    [InlineData("permit(principal, action == ?principal, resource);")]
    [InlineData("permit(principal, action, resource) when { ?principal == principal };")]
    [InlineData("permit(principal == ?other, action, resource);")]
    public void MisplacedSlot_IsRejected(string text) => Assert.Throws<CedarParseException>(() => PolicyParser.ParsePolicies(text));

    [Fact]
    public void Annotations_KeepOrderAndOptionalValue()
    {
        var p = PolicyParser.ParsePolicy("@id(\"x\") @advice permit(principal, action, resource);");
        Assert.Equal("x", p.GetAnnotation("id"));
        Assert.Equal(string.Empty, p.GetAnnotation("advice"));
        Assert.Null(p.Annotations[1].Value);
    }

    [Fact]
    public void DuplicateAnnotation_IsRejected() =>
        Assert.Throws<CedarParseException>(() => PolicyParser.ParsePolicy("@a(\"1\") @a(\"2\") permit(principal, action, resource);"));

    [Theory]
    [InlineData("\"a\\nb\"", "a\nb")]
    [InlineData("\"\\t\\r\\0\\\\\\'\\\"\"", "\t\r\0\\'\"")]
    [InlineData("\"\\u{1F600}\"", "\U0001F600")]
    [InlineData("\"\\u{4_1}\"", "A")]
    [InlineData("\"\\x41\"", "A")]
    public void StringEscapes_Decode(string literal, string expected)
    {
        var e = Assert.IsType<LiteralExpr>(PolicyParser.ParseExpression(literal));
        Assert.Equal(expected, Assert.IsType<StringValue>(e.Value).Value);
    }

    [Theory]
    [InlineData("\"\\q\"")]
    [InlineData("\"\\u{D800}\"")]
    [InlineData("\"\\u{110000}\"")]
    [InlineData("\"\\u{1234567}\"")]
    [InlineData("\"\\u{}\"")]
    [InlineData("\"\\x80\"")]
    [InlineData("\"\\*\"")]
    [InlineData("\"abc")]
    public void BadStringEscape_IsRejected(string literal) => Assert.Throws<CedarParseException>(() => PolicyParser.ParseExpression(literal));

    [Fact]
    public void LikePattern_StarIsWildcardAndEscapedStarIsLiteral()
    {
        var like = Assert.IsType<LikeExpr>(PolicyParser.ParseExpression("context.s like \"a*b\\*\""));
        Assert.Equal([PatternElement.Literal('a'), PatternElement.Wildcard, PatternElement.Literal('b'), PatternElement.Literal('*')], like.Pattern.Elements);
    }

    [Fact]
    public void IntegerLiterals_CoverTheFullRange()
    {
        var min = Assert.IsType<LiteralExpr>(PolicyParser.ParseExpression("-9223372036854775808"));
        Assert.Equal(long.MinValue, ((LongValue)min.Value).Value);
        var max = Assert.IsType<LiteralExpr>(PolicyParser.ParseExpression("9223372036854775807"));
        Assert.Equal(long.MaxValue, ((LongValue)max.Value).Value);
    }

    [Theory]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775809")]
    [InlineData("99999999999999999999999")]
    public void OutOfRangeInteger_IsRejected(string text) => Assert.Throws<CedarParseException>(() => PolicyParser.ParseExpression(text));

    [Fact]
    public void DoubleNegation_FoldsOneMinusIntoTheLiteral()
    {
        var e = Assert.IsType<UnaryExpr>(PolicyParser.ParseExpression("--5"));
        Assert.Equal(UnaryOp.Neg, e.Op);
        Assert.Equal(-5L, ((LongValue)Assert.IsType<LiteralExpr>(e.Operand).Value).Value);
    }

    [Theory]
    [InlineData("!!!!!true")]
    [InlineData("-----1")]
    public void TooManyUnaryOperators_IsRejected(string text) => Assert.Throws<CedarParseException>(() => PolicyParser.ParseExpression(text));

    [Fact]
    public void HasWithPath_DesugarsToConjunction()
    {
        var e = PolicyParser.ParseExpression("principal has a.b.c");
        Assert.Equal("principal has a && principal.a has b && principal.a.b has c", e.ToString());
    }

    [Theory]
    [InlineData("1 < 2 < 3")]
    [InlineData("a == 1")]
    [InlineData("principal.if")]
    [InlineData("principal.foo(1)")]
    [InlineData("foo(1)")]
    [InlineData("ip(\"1.2.3.4\", )x")]
    [InlineData("principal.contains()")]
    [InlineData("principal.isEmpty(1)")]
    [InlineData("{a: 1, a: 2}")]
    [InlineData("if::principal")]
    [InlineData("principal = 1")]
    [InlineData("1 / 2")]
    [InlineData("1 % 2")]
    [InlineData("principal[principal]")]
    [InlineData("lessThan(1, 2)")]
    [InlineData("principal.ip(\"1\")")]
    [InlineData("User::{id: \"x\"}")]
    public void InvalidExpression_IsRejected(string text) => Assert.Throws<CedarParseException>(() => PolicyParser.ParseExpression(text));

    [Theory]
    [InlineData("permit(principal, action, resource)")]
    [InlineData("allow(principal, action, resource);")]
    [InlineData("permit(principal, action);")]
    [InlineData("permit(principal, action, resource, context);")]
    [InlineData("permit(resource, action, principal);")]
    [InlineData("permit(principal, action is Action, resource);")]
    [InlineData("permit(principal, action == User::\"x\", resource);")]
    [InlineData("permit(principal in [User::\"x\"], action, resource);")]
    [InlineData("permit(principal, action, resource) when { };")]
    [InlineData("permit(principal, action, resource) iff { true };")]
    [InlineData("permit(principal: User, action, resource);")]
    public void InvalidPolicy_IsRejected(string text) => Assert.Throws<CedarParseException>(() => PolicyParser.ParsePolicies(text));

    [Fact]
    public void ParseError_CarriesLineColumnAndCaret()
    {
        var ex = Assert.Throws<CedarParseException>(() => PolicyParser.ParsePolicies("permit(principal, action, resource)\nwhen { 1 + };"));
        Assert.Equal(2, ex.Line);
        Assert.Equal(12, ex.Column);
        Assert.Equal("when { 1 + };\n           ^", ex.Excerpt);
        Assert.Contains("2:12", ex.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void CommentsAndUnicodeWhitespace_AreSkipped()
    {
        var ps = PolicyParser.ParsePolicies("// c\npermit(\u00A0principal, // x\n action, resource);");
        Assert.Single(ps);
    }

    [Fact]
    public void ReservedWordsAsAttributeStrings_AreAllowed()
    {
        var e = PolicyParser.ParseExpression("context[\"if\"] == 1 && {\"in\": 1} has \"in\"");
        Assert.Contains("context[\"if\"]", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void EntityUid_ParsesWithNamespaces()
    {
        var uid = PolicyParser.ParseEntityUid("A::B::C::\"x\\ny\"");
        Assert.Equal("A::B::C", uid.Type.Name);
        Assert.Equal("x\ny", uid.Id);
    }

    [Fact]
    public void Nodes_KeepSourceSpans()
    {
        var p = PolicyParser.ParsePolicy("permit(principal, action, resource)\nwhen {\n  context.a == 1 };");
        var body = Assert.IsType<BinaryExpr>(p.Conditions[0].Body);
        Assert.Equal(3, body.Span.Line);
        Assert.Equal(3, body.Span.Column);
    }
}
