using System.Text;

namespace Writ.Cedar.Ast;

/// <summary>One element of a <c>like</c> pattern: the wildcard <c>*</c> or a literal character.</summary>
/// <param name="IsWildcard">Whether this is the wildcard.</param>
/// <param name="Char">The literal UTF-16 code unit when not a wildcard.</param>
public readonly record struct PatternElement(bool IsWildcard, char Char)
{
    /// <summary>The wildcard element.</summary>
    public static PatternElement Wildcard => new(true, '\0');

    /// <summary>A literal character.</summary>
    public static PatternElement Literal(char c) => new(false, c);
}

/// <summary>A <c>like</c> pattern: literal characters and <c>*</c> wildcards matching any sequence.</summary>
public sealed class LikePattern
{
    private readonly PatternElement[] _elements;
    private readonly string[] _segments;

    /// <summary>Creates a pattern from its elements.</summary>
    public LikePattern(IEnumerable<PatternElement> elements)
    {
        _elements = [.. elements];
        var segments = new List<string>();
        var current = new StringBuilder();
        foreach (var e in _elements)
        {
            if (e.IsWildcard)
            {
                segments.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(e.Char);
            }
        }

        segments.Add(current.ToString());
        _segments = [.. segments];
    }

    /// <summary>The elements in order.</summary>
    public IReadOnlyList<PatternElement> Elements => _elements;

    /// <summary>Whether <paramref name="text"/> matches the whole pattern.</summary>
    public bool IsMatch(string text)
    {
        var span = text.AsSpan();
        if (_segments.Length == 1)
        {
            return span.SequenceEqual(_segments[0]);
        }

        // Literal runs between stars: the first must be a prefix, the last a suffix, the middle ones
        // are found left to right (greedy leftmost placement is optimal for '*'-only patterns).
        var first = _segments[0];
        var last = _segments[^1];
        if (span.Length < first.Length + last.Length || !span.StartsWith(first, StringComparison.Ordinal) || !span.EndsWith(last, StringComparison.Ordinal))
        {
            return false;
        }

        var middle = span[first.Length..(span.Length - last.Length)];
        for (var i = 1; i < _segments.Length - 1; i++)
        {
            var seg = _segments[i];
            if (seg.Length == 0)
            {
                continue;
            }

            var at = middle.IndexOf(seg, StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            middle = middle[(at + seg.Length)..];
        }

        return true;
    }

    /// <summary>The pattern as the body of a Cedar string literal, with <c>*</c> for wildcards and <c>\*</c> for literal stars.</summary>
    public string ToPatternString()
    {
        var sb = new StringBuilder();
        foreach (var e in _elements)
        {
            if (e.IsWildcard)
            {
                sb.Append('*');
                continue;
            }

            switch (e.Char)
            {
                case '*': sb.Append("\\*"); break;
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\0': sb.Append("\\0"); break;
                default:
                    if (char.IsControl(e.Char))
                    {
                        sb.Append("\\u{").Append(((int)e.Char).ToString("x", System.Globalization.CultureInfo.InvariantCulture)).Append('}');
                    }
                    else
                    {
                        sb.Append(e.Char);
                    }

                    break;
            }
        }

        return sb.ToString();
    }
}
