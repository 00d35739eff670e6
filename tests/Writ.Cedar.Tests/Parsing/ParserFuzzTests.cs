using CsCheck;
using Writ.Cedar.Formatting;
using Writ.Cedar.Json;
using Writ.Cedar.Parsing;

namespace Writ.Cedar.Tests.Parsing;

/// <summary>
/// Generated hostile input for the parsers: each must return a result or a parse error, never crash or hang.
/// Inputs mix Cedar tokens with random characters so that they get past the lexer into the grammar.
/// </summary>
public sealed class ParserFuzzTests
{
    private static readonly string[] Tokens =
    [
        "permit", "forbid", "(", ")", "principal", "action", "resource", "context", ",", ";", "when", "unless", "{", "}",
        "==", "!=", "<", "<=", ">", ">=", "in", "is", "has", "like", "&&", "||", "!", "-", "+", "*", ".", "[", "]",
        "if", "then", "else", "true", "false", "User::\"a\"", "Action::\"v\"", "\"s\"", "\"\\u{1F600}\"", "\"a*\"", "1",
        "-9223372036854775808", "9223372036854775808", "?principal", "?resource", "@id(\"x\")", "ip(\"1.2.3.4\")",
        "decimal(\"1.0\")", ".contains(", ".getTag(", ".isEmpty()", "::", ":", "A", "x", "\n", "//c\n", "\"", "\\", "\u0000",
        "\uD800", "\u00A0",
    ];

    private static readonly Gen<string> TokenSoup =
        Gen.OneOf(Pick(Tokens), Gen.Char.Select(c => c.ToString())).Array[0, 60].Select(parts => string.Join(" ", parts));

    private static Gen<string> Pick(string[] options) => Gen.Int[0, options.Length - 1].Select(i => options[i]);

    [Fact]
    public void PolicyParser_NeverCrashes() =>
        TokenSoup.Sample(text =>
        {
            if (PolicyParser.TryParsePolicies(text, out var policies, out var error))
            {
                // Whatever parses must format to text that parses to the same thing.
                var formatted = PolicyFormatter.Format(policies);
                Assert.Equal(formatted, PolicyFormatter.Format(PolicyParser.ParsePolicies(formatted)));
            }
            else
            {
                Assert.NotNull(error);
            }
        }, iter: 3000);

    [Fact]
    public void ExpressionParser_NeverCrashes() =>
        TokenSoup.Sample(text =>
        {
            try
            {
                var e = PolicyParser.ParseExpression(text);
                Assert.Equal(e.ToString(), PolicyParser.ParseExpression(e.ToString()).ToString());
            }
            catch (CedarParseException)
            {
            }
        }, iter: 3000);

    [Fact]
    public void RandomStrings_NeverCrashTheParser() =>
        Gen.String[0, 200].Sample(text =>
        {
            try
            {
                PolicyParser.ParsePolicies(text);
            }
            catch (CedarParseException)
            {
            }
        }, iter: 3000);

    [Fact]
    public void JsonReaders_NeverCrash() =>
        Pick(["{", "}", "[", "]", ":", ",", "\"__entity\"", "\"__extn\"", "\"fn\"", "\"arg\"", "\"args\"", "\"type\"", "\"id\"", "\"Value\"", "\"==\"", "\"left\"", "\"right\"", "1", "\"x\"", "null", "true", "\"\\uD800\"", "\"\\u0041\"", "-1.5e3"])
            .Array[0, 40].Select(p => string.Concat(p)).Sample(text =>
            {
                try
                {
                    ValueJson.Parse(text);
                }
                catch (CedarJsonException)
                {
                }

                try
                {
                    EntityJson.ParseEntities(text);
                }
                catch (CedarJsonException)
                {
                }

                try
                {
                    PolicyJson.ParsePolicySet(text);
                }
                catch (CedarJsonException)
                {
                }
            }, iter: 2000);
}
