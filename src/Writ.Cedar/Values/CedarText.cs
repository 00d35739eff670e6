using System.Globalization;
using System.Text;

namespace Writ.Cedar.Values;

/// <summary>Helpers for writing Cedar text: quoted strings and identifiers.</summary>
public static class CedarText
{
    private static readonly HashSet<string> ReservedWords = new(StringComparer.Ordinal)
    {
        "true", "false", "if", "then", "else", "in", "is", "like", "has", "__cedar",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> ReservedLookup = ReservedWords.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Whether <paramref name="name"/> is a Cedar identifier (letters, digits, underscore; not starting with a digit).</summary>
    public static bool IsIdentifier(string name)
    {
        if (string.IsNullOrEmpty(name) || !IsIdentStart(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!IsIdentPart(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="name"/> is an identifier that is not reserved, so it can be used as a name segment.</summary>
    public static bool IsValidNameSegment(string name) => IsIdentifier(name) && !ReservedWords.Contains(name);

    internal static bool IsValidNameSegment(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || !IsIdentStart(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!IsIdentPart(c))
            {
                return false;
            }
        }

        return !ReservedLookup.Contains(name);
    }

    /// <summary>Whether <paramref name="name"/> is one of Cedar's reserved identifiers.</summary>
    public static bool IsReserved(string name) => ReservedWords.Contains(name);

    internal static bool IsIdentStart(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_';

    internal static bool IsIdentPart(char c) => IsIdentStart(c) || c is >= '0' and <= '9';

    /// <summary>Quotes a string as a Cedar string literal, escaping as Cedar's printer does.</summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2);
        AppendQuoted(sb, value);
        return sb.ToString();
    }

    /// <summary>Appends <paramref name="value"/> as a quoted Cedar string literal.</summary>
    public static void AppendQuoted(StringBuilder sb, string value)
    {
        sb.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\0': sb.Append("\\0"); break;
                default:
                    if (char.IsControl(c))
                    {
                        sb.Append("\\u{").Append(((int)c).ToString("x", CultureInfo.InvariantCulture)).Append('}');
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
