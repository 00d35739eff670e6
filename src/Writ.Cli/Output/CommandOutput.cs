using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Writ.Cli.Output;

// Writes a command's result: the server's JSON unchanged with --json, otherwise readable tables and lines.
internal sealed class CommandOutput
{
    // Piped output is read by tools and people with wide windows; wrapping a SPIFFE ID across lines helps neither.
    private const int RedirectedWidth = 240;

    private static readonly JsonSerializerOptions JsonOutputOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions JsonLineOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly IAnsiConsole console;
    private readonly TextWriter writer;
    private readonly bool terminal;

    public CommandOutput(CliContext context, bool json)
    {
        Json = json;
        writer = context.Out;
        terminal = context.OutputIsTerminal;
        console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(context.Out),
            Ansi = context.OutputIsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = context.OutputIsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!context.OutputIsTerminal)
        {
            console.Profile.Width = RedirectedWidth;
        }
    }

    public bool Json { get; }

    public void WriteJson(JsonNode? node)
    {
        writer.WriteLine(node is null ? "null" : node.ToJsonString(JsonOutputOptions));
        writer.Flush();
    }

    // One value on one line (JSON Lines), escaped like WriteJson so both read the same in a terminal.
    public void WriteJsonLine(JsonNode node)
    {
        writer.WriteLine(node.ToJsonString(JsonLineOptions));
        writer.Flush();
    }

    public void WriteTable(IReadOnlyList<Column> columns, IEnumerable<JsonObject> rows, string whenEmpty)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in columns)
        {
            var tableColumn = new TableColumn(new Text(column.Header, new Style(decoration: Decoration.Bold)));
            table.AddColumn(column.Wraps ? tableColumn : tableColumn.NoWrap());
        }

        var count = 0;
        foreach (var row in rows)
        {
            table.AddRow(columns.Select(column => (Spectre.Console.Rendering.IRenderable)new Text(column.Cell(row))));
            count++;
        }

        if (count == 0)
        {
            WriteLine(whenEmpty);
            return;
        }

        if (terminal)
        {
            console.Write(table);
            writer.Flush();
            return;
        }

        // Piped output: the same table without the padding Spectre adds around and after it, so
        // `grep`, `awk` and diffs see clean lines.
        var rendered = new StringWriter();
        var plain = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(rendered),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        plain.Profile.Width = RedirectedWidth;
        plain.Write(table);
        var lines = rendered.ToString().Split('\n').Select(l => l.TrimEnd()).SkipWhile(l => l.Length == 0).Reverse().SkipWhile(l => l.Length == 0).Reverse();
        foreach (var line in lines)
        {
            writer.WriteLine(line);
        }

        writer.Flush();
    }

    // A single resource as aligned "label  value" lines; plain text so values copy cleanly.
    public void WriteDetails(IReadOnlyList<(string Label, string Value)> fields)
    {
        var width = fields.Count == 0 ? 0 : fields.Max(f => f.Label.Length) + 2;
        foreach (var (label, value) in fields)
        {
            writer.WriteLine(label.PadRight(width) + value);
        }

        writer.Flush();
    }

    public void WriteLine(string text = "")
    {
        writer.WriteLine(text);
        writer.Flush();
    }
}
