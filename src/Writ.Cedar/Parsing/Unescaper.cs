using System.Text;
using Writ.Cedar.Ast;

namespace Writ.Cedar.Parsing;

/// <summary>Decodes the body of a Cedar string literal: the escapes of Rust string literals that Cedar accepts.</summary>
internal static class Unescaper
{
    /// <summary>Decodes a string body; returns an error message, or null on success.</summary>
    public static string? TryUnescape(string body, out string value)
    {
        // Without a backslash or carriage return there is nothing to decode or reject.
        if (body.AsSpan().IndexOfAny('\\', '\r') < 0)
        {
            value = body;
            return null;
        }

        var sb = new StringBuilder(body.Length);
        var error = Decode(body, sb, null);
        value = sb.ToString();
        return error;
    }

    /// <summary>Decodes a <c>like</c> pattern body, where <c>*</c> is a wildcard and <c>\*</c> a literal star.</summary>
    public static string? TryUnescapePattern(string body, out LikePattern pattern)
    {
        var elements = new List<PatternElement>(body.Length);
        var error = Decode(body, null, elements);
        pattern = new LikePattern(elements);
        return error;
    }

    private static string? Decode(string s, StringBuilder? sb, List<PatternElement>? pattern)
    {
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '\r')
            {
                return "bare carriage return in string literal";
            }

            if (c != '\\')
            {
                Emit(sb, pattern, c, wildcardIfStar: true);
                i++;
                continue;
            }

            if (i + 1 >= s.Length)
            {
                return "lone backslash at end of string literal";
            }

            var e = s[i + 1];
            i += 2;
            switch (e)
            {
                case 'n': Emit(sb, pattern, '\n'); break;
                case 'r': Emit(sb, pattern, '\r'); break;
                case 't': Emit(sb, pattern, '\t'); break;
                case '\\': Emit(sb, pattern, '\\'); break;
                case '0': Emit(sb, pattern, '\0'); break;
                case '\'': Emit(sb, pattern, '\''); break;
                case '"': Emit(sb, pattern, '"'); break;
                case '*' when pattern is not null:
                    pattern.Add(PatternElement.Literal('*'));
                    break;
                case 'x':
                    {
                        if (i + 2 > s.Length || !IsHex(s[i]) || !IsHex(s[i + 1]))
                        {
                            return "invalid \\x escape: expected two hex digits";
                        }

                        var v = (HexValue(s[i]) * 16) + HexValue(s[i + 1]);
                        if (v > 0x7f)
                        {
                            return "invalid \\x escape: value above 0x7f";
                        }

                        Emit(sb, pattern, (char)v);
                        i += 2;
                        break;
                    }

                case 'u':
                    {
                        var err = DecodeUnicode(s, ref i, out var cp);
                        if (err is not null)
                        {
                            return err;
                        }

                        var str = char.ConvertFromUtf32(cp);
                        foreach (var ch in str)
                        {
                            Emit(sb, pattern, ch);
                        }

                        break;
                    }

                default:
                    return $"invalid escape sequence \\{e}";
            }
        }

        return null;
    }

    private static string? DecodeUnicode(string s, ref int i, out int codePoint)
    {
        codePoint = 0;
        if (i >= s.Length || s[i] != '{')
        {
            return "invalid \\u escape: expected '{'";
        }

        i++;
        var digits = 0;
        var value = 0;
        var first = true;
        while (true)
        {
            if (i >= s.Length)
            {
                return "unclosed \\u escape";
            }

            var c = s[i];
            if (c == '}')
            {
                i++;
                break;
            }

            if (c == '_')
            {
                if (first)
                {
                    return "invalid \\u escape: leading underscore";
                }

                i++;
                continue;
            }

            if (!IsHex(c))
            {
                return "invalid character in \\u escape";
            }

            digits++;
            if (digits > 6)
            {
                return "overlong \\u escape";
            }

            value = (value * 16) + HexValue(c);
            first = false;
            i++;
        }

        if (digits == 0)
        {
            return "empty \\u escape";
        }

        if (value is >= 0xD800 and <= 0xDFFF)
        {
            return "\\u escape is a lone surrogate";
        }

        if (value > 0x10FFFF)
        {
            return "\\u escape out of range";
        }

        codePoint = value;
        return null;
    }

    private static void Emit(StringBuilder? sb, List<PatternElement>? pattern, char c, bool wildcardIfStar = false)
    {
        if (pattern is not null)
        {
            pattern.Add(wildcardIfStar && c == '*' ? PatternElement.Wildcard : PatternElement.Literal(c));
        }
        else
        {
            sb!.Append(c);
        }
    }

    private static bool IsHex(char c) => c is (>= '0' and <= '9') or (>= 'a' and <= 'f') or (>= 'A' and <= 'F');

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => c - 'A' + 10,
    };
}
