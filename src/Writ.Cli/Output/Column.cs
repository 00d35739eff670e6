using System.Text.Json.Nodes;

namespace Writ.Cli.Output;

// One column of a table: its header, how to read a cell from a resource, and whether the cell may wrap.
// Identifiers (names, SPIFFE IDs, kids) never wrap: half an ID on each line cannot be copied.
internal sealed record Column(string Header, Func<JsonObject, string> Cell, bool Wraps = false)
{
    public static Column Of(string header, string field) => new(header, row => Cells.Text(row[field]));

    public static Column Wrapping(string header, string field) => new(header, row => Cells.Text(row[field]), Wraps: true);

    public static Column Time(string header, string field) => new(header, row => Cells.Time(row[field]));
}
