using System.Text;

namespace Writ.Cedar.Parsing;

/// <summary>A syntax or structure error in Cedar text, with its position and a caret excerpt of the line.</summary>
public sealed class CedarParseException : Exception
{
    /// <summary>Creates an error at a position of <paramref name="source"/>.</summary>
    public CedarParseException(string message, string source, int offset)
        : base(message)
    {
        (Line, Column) = Position(source, offset);
        Offset = offset;
        Excerpt = BuildExcerpt(source, offset, Column);
    }

    /// <summary>Creates an error without a source position.</summary>
    public CedarParseException(string message)
        : base(message)
    {
        Excerpt = string.Empty;
    }

    /// <summary>Creates an error wrapping another.</summary>
    public CedarParseException(string message, Exception innerException)
        : base(message, innerException)
    {
        Excerpt = string.Empty;
    }

    /// <summary>Creates an empty error.</summary>
    public CedarParseException()
        : this("parse error")
    {
    }

    /// <summary>1-based line of the error, 0 when unknown.</summary>
    public int Line { get; }

    /// <summary>1-based column of the error, 0 when unknown.</summary>
    public int Column { get; }

    /// <summary>Character offset of the error.</summary>
    public int Offset { get; }

    /// <summary>The offending line and a caret under the error position.</summary>
    public string Excerpt { get; }

    /// <summary>The message with position and excerpt, for display.</summary>
    public string Describe() => Line == 0 ? Message : $"{Line}:{Column}: {Message}\n{Excerpt}";

    internal static (int Line, int Column) Position(string source, int offset)
    {
        offset = Math.Clamp(offset, 0, source.Length);
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (source[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, offset - lineStart + 1);
    }

    private static string BuildExcerpt(string source, int offset, int column)
    {
        offset = Math.Clamp(offset, 0, source.Length);
        var start = offset - (column - 1);
        var end = source.IndexOf('\n', offset);
        if (end < 0)
        {
            end = source.Length;
        }

        // Long lines are cut around the error so the excerpt stays readable and small.
        const int Window = 80;
        var from = Math.Max(start, offset - Window);
        var to = Math.Min(end, offset + Window);
        var sb = new StringBuilder();
        foreach (var c in source.AsSpan(from, to - from))
        {
            sb.Append(char.IsControl(c) ? ' ' : c);
        }

        sb.Append('\n').Append(' ', offset - from).Append('^');
        return sb.ToString();
    }
}
