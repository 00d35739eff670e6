using System.Text;

namespace Writ.Cedar.Schema;

/// <summary>A schema could not be read: the text is malformed or declarations do not fit together.</summary>
public sealed class SchemaParseException : FormatException
{
    /// <summary>Creates an error without a position.</summary>
    public SchemaParseException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an error at a 1-based line and column of <paramref name="source"/>; the message gets a caret excerpt.</summary>
    public SchemaParseException(string message, string source, int line, int column)
        : base(FormatWithExcerpt(message, source, line, column))
    {
        Line = line;
        Column = column;
        Reason = message;
    }

    /// <summary>Creates an error wrapping another.</summary>
    public SchemaParseException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates an error with no details.</summary>
    public SchemaParseException()
    {
    }

    /// <summary>The 1-based line of the error, or 0 when it has no position.</summary>
    public int Line { get; }

    /// <summary>The 1-based column of the error, or 0 when it has no position.</summary>
    public int Column { get; }

    /// <summary>The message without the position and excerpt.</summary>
    public string? Reason { get; }

    private static string FormatWithExcerpt(string message, string source, int line, int column)
    {
        var sb = new StringBuilder();
        sb.Append(line).Append(':').Append(column).Append(": ").Append(message);
        var lines = source.Split('\n');
        if (line >= 1 && line <= lines.Length)
        {
            var text = lines[line - 1].TrimEnd('\r');
            if (text.Length > 200)
            {
                var start = Math.Max(0, column - 100);
                text = text.Substring(start, Math.Min(200, text.Length - start));
                column -= start;
            }

            sb.Append('\n').Append(text).Append('\n').Append(' ', Math.Max(0, column - 1)).Append('^');
        }

        return sb.ToString();
    }
}
