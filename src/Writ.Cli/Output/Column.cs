using System.Text.Json.Nodes;

namespace Writ.Cli.Output;

// One column of a table: its header and how to read a cell from a resource.
internal sealed record Column(string Header, Func<JsonObject, string> Cell)
{
    public static Column Of(string header, string field) => new(header, row => Cells.Text(row[field]));

    public static Column Time(string header, string field) => new(header, row => Cells.Time(row[field]));
}
