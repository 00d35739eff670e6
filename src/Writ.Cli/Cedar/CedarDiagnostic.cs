using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Writ.Cedar.Json;
using Writ.Cedar.Parsing;
using Writ.Cedar.Schema;

namespace Writ.Cli.Cedar;

// One problem with an input, located by line and column when the parser knows them, with a caret excerpt.
internal sealed record CedarDiagnostic(string Input, string Message, int Line = 0, int Column = 0, string Excerpt = "")
{
    public string ToText()
    {
        var text = new StringBuilder();
        text.Append(Input).Append(':');
        if (Line > 0)
        {
            text.Append(Line).Append(':').Append(Column).Append(':');
        }

        text.Append(' ').Append(Message);
        foreach (var line in Excerpt.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            text.Append("\n    ").Append(line.TrimEnd('\r'));
        }

        return text.ToString();
    }

    public JsonObject ToJson()
    {
        var node = new JsonObject { ["input"] = Input, ["message"] = Message };
        if (Line > 0)
        {
            node["line"] = Line;
            node["column"] = Column;
        }

        if (Excerpt.Length > 0)
        {
            node["excerpt"] = Excerpt;
        }

        return node;
    }

    public static CedarDiagnostic From(string input, Exception error) => error switch
    {
        CedarParseException { Line: > 0 } parse => new(input, parse.Message, parse.Line, parse.Column, parse.Excerpt),
        SchemaParseException { Line: > 0 } schema => new(input, schema.Reason ?? schema.Message, schema.Line, schema.Column, AfterFirstLine(schema.Message)),
        JsonException { LineNumber: { } line } json => new(input, FirstSentence(json.Message), (int)line + 1, (int)(json.BytePositionInLine ?? 0) + 1),
        CedarJsonException { InnerException: JsonException { LineNumber: { } line } json } => new(input, "invalid JSON: " + FirstSentence(json.Message), (int)line + 1, (int)(json.BytePositionInLine ?? 0) + 1),
        _ => new(input, error.Message),
    };

    private static string AfterFirstLine(string message)
    {
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        return newline < 0 ? string.Empty : message[(newline + 1)..];
    }

    // System.Text.Json appends "Path: $ | LineNumber: 0 | BytePositionInLine: 5." which the line and column already say.
    private static string FirstSentence(string message)
    {
        var path = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return path < 0 ? message : message[..path];
    }
}
