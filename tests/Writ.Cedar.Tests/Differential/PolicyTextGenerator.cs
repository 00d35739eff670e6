using System.Text;

namespace Writ.Cedar.Tests.Differential;

/// <summary>
/// Deterministic generator of policy text for differential tests against the official engine: random policies over
/// every scope form and operator, and mutations of them (deleted characters, inserted tokens) that probe the grammar's
/// edges. <c>Data/cedar-wasm-4.13-*.jsonl</c> hold generated cases with cedar-wasm 4.13.0's verdicts.
/// </summary>
internal static class PolicyTextGenerator
{
    private static readonly string[] Tokens =
    [
        "permit", "forbid", "(", ")", "principal", "action", "resource", "context", ",", ";", "when", "unless", "{", "}",
        "==", "!=", "<", "<=", ">", ">=", "in", "is", "has", "like", "&&", "||", "!", "-", "+", "*", ".", "[", "]",
        "if", "then", "else", "true", "false", "User::\"a\"", "Action::\"v\"", "\"s\"", "\"\\u{1F600}\"", "\"a*\"", "1",
        "-9223372036854775808", "9223372036854775808", "?principal", "?resource", "@id(\"x\")", "ip(\"1.2.3.4\")",
        "decimal(\"1.0\")", ".contains(", ".getTag(", ".isEmpty()", "::", ":", "A", "x", "\n", "//c\n", "\"", "\\",
        "__cedar", "=", "/", "%", "?x", "@", "\"\\*\"", "\"\\x41\"", "\"\\q\"", "Namespace::Action::\"a\"", "a::b",
    ];

    private static readonly string[] Atoms =
    [
        "context.x", "context.a", "context.a.b", "principal.a", "principal.a.b", "resource.b.c", "principal.getTag(\"t\")",
        "principal.hasTag(\"x\")", "ip(\"10.0.0.0/8\")", "ip(\"::1\")", "context.attr", "decimal(\"-0.5\")",
        "datetime(\"2024-02-29T12:00:00+0130\")", "duration(\"-1d2h\")", "[1, 2, 3]", "[principal, Group::\"g\"]",
        "{a: {b: 1}}", "Group::\"g\"", "2", "0", "\"A\"", "\"*\"", "principal.name", "principal.attr", "resource.attr",
        "principal", "action", "resource", "context", "1", "-1", "\"s\"", "true", "false", "User::\"a\"", "A::B::\"c\"",
        "[]", "{}", "ip(\"10.0.0.1\")", "decimal(\"1.5\")", "datetime(\"2024-01-01\")", "duration(\"1h\")", "?principal",
        "\"\\u{41}\"", "principal[\"x y\"]",
    ];

    private static readonly string[] Binary = ["==", "!=", "<", "<=", ">", ">=", "in", "&&", "||", "+", "-", "*"];

    private static readonly string[] Methods =
    [
        ".toTime()", ".toDays()", ".toHours()", ".durationSince(#)", ".greaterThan(#)", ".isLoopback()", ".isMulticast()",
        ".isIpv6()", ".contains(#)", ".containsAll(#)", ".containsAny(#)", ".isEmpty()", ".getTag(#)", ".hasTag(#)",
        ".lessThan(#)", ".isInRange(#)", ".offset(#)", ".toDate()", ".isIpv4()", ".foo(#)", ".if", ".a", ".b.c",
    ];

    /// <summary>Policies and their mutations, for parse verdicts.</summary>
    public static IEnumerable<string> ParseCases(int seed, int count)
    {
        var r = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var p = Policy(r);
            yield return r.Next(2) == 0 ? Mutate(r, r.Next(2) == 0 ? p : Mutate(r, p)) : p;
        }
    }

    /// <summary>Sets of three policies (one unconstrained with a random condition), for authorization outcomes.</summary>
    public static IEnumerable<string> AuthorizationCases(int seed, int count)
    {
        var r = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            yield return "permit(principal, action, resource) when { " + Expr(r, 5, wellFormed: true) + " };\n" + Policy(r, allowSlots: false) + "\n" + Policy(r, allowSlots: false);
        }
    }

    // Well-formed expressions avoid what the parser rejects (slots, unknown or reserved names, too many unary
    // operators, chained relations), so that authorization cases mostly reach evaluation.
    private static string Expr(Random r, int d, bool wellFormed = false)
    {
        if (d <= 0 || r.Next(4) == 0)
        {
            string atom;
            do
            {
                atom = Atoms[r.Next(Atoms.Length)];
            }
            while (wellFormed && atom == "?principal");
            return atom;
        }

        string Sub() => wellFormed ? "(" + Expr(r, d - 1, wellFormed) + ")" : Expr(r, d - 1, wellFormed);
        var choice = r.Next(12);
        if (wellFormed && choice == 10)
        {
            choice = 0;
        }

        return choice switch
        {
            0 => Sub() + " " + Binary[r.Next(Binary.Length)] + " " + Sub(),
            1 => "(" + Sub() + ")",
            2 => "if " + Sub() + " then " + Sub() + " else " + Sub(),
            3 => new string(r.Next(2) == 0 ? '!' : '-', r.Next(1, wellFormed ? 5 : 6)) + Sub(),
            4 => "(" + Sub() + ")" + Method(r, wellFormed).Replace("#", Sub(), StringComparison.Ordinal),
            5 => Sub() + " has " + (r.Next(3) switch { 0 => "a", 1 => "a.b", _ => "\"x y\"" }),
            6 => Sub() + " like \"" + (r.Next(2) == 0 ? "a*b" : "\\**") + "\"",
            7 => Sub() + " is " + (r.Next(2) == 0 ? "User" : "A::B") + (r.Next(2) == 0 ? " in " + Sub() : string.Empty),
            8 => "[" + Sub() + ", " + Sub() + "]",
            9 => "{a: " + Sub() + ", \"b\": " + Sub() + "}",
            10 => Sub() + " " + Binary[r.Next(Binary.Length)] + " " + Sub() + " " + Binary[r.Next(Binary.Length)] + " " + Sub(),
            _ => "(" + Sub() + ")." + (r.Next(2) == 0 || wellFormed ? "attr" : "in"),
        };
    }

    private static string Method(Random r, bool wellFormed)
    {
        string m;
        do
        {
            m = Methods[r.Next(Methods.Length)];
        }
        while (wellFormed && m is ".foo(#)" or ".if");
        return m;
    }

    private static string Scope(Random r, string v, bool allowSlots) => r.Next(allowSlots ? 7 : 5) switch
    {
        0 => v,
        1 => v + " == User::\"a\"",
        2 => v + " in Group::\"g\"",
        3 => v + " is User",
        4 => v + " is User in Group::\"g\"",
        5 => v + " == ?" + v,
        _ => v + " in ?" + (r.Next(2) == 0 ? "principal" : "resource"),
    };

    private static string Action(Random r) => r.Next(6) switch
    {
        0 => "action",
        1 => "action == Action::\"a\"",
        2 => "action in Action::\"a\"",
        3 => "action in [Action::\"a\", NS::Action::\"b\"]",
        4 => "action in []",
        _ => "action == User::\"a\"",
    };

    private static string Policy(Random r, bool allowSlots = true)
    {
        var sb = new StringBuilder();
        if (r.Next(3) == 0)
        {
            sb.Append("@id(\"p\") ");
        }

        if (r.Next(5) == 0)
        {
            sb.Append("@advice ");
        }

        sb.Append(r.Next(2) == 0 ? "permit" : "forbid").Append('(').Append(Scope(r, "principal", allowSlots)).Append(", ")
            .Append(allowSlots ? Action(r) : "action").Append(", ").Append(Scope(r, "resource", allowSlots)).Append(')');
        for (var i = r.Next(3); i > 0; i--)
        {
            sb.Append(r.Next(2) == 0 ? " when { " : " unless { ").Append(Expr(r, 4, wellFormed: !allowSlots)).Append(" }");
        }

        return sb.Append(';').ToString();
    }

    private static string Mutate(Random r, string s)
    {
        var sb = new StringBuilder(s);
        for (var k = r.Next(1, 3); k > 0; k--)
        {
            var pos = r.Next(sb.Length + 1);
            switch (r.Next(3))
            {
                case 0:
                    if (sb.Length > 0)
                    {
                        sb.Remove(Math.Min(pos, sb.Length - 1), 1);
                    }

                    break;
                case 1:
                    sb.Insert(pos, Tokens[r.Next(Tokens.Length)]);
                    break;
                default:
                    sb.Insert(pos, " " + Tokens[r.Next(Tokens.Length)] + " ");
                    break;
            }
        }

        return sb.ToString();
    }
}
