using System.Text.Json.Nodes;
using Writ.Cli.Output;
using Writ.Cli.Tests.Support;

namespace Writ.Cli.Tests;

public sealed class OutputTests
{
    private static readonly Column[] Columns = [Column.Of("NAME", "name"), Column.Of("OWNER", "owner"), Column.Time("CREATED", "createdAt")];

    [Fact]
    public void Table_HasHeadersRowsAndDashForMissing()
    {
        var (output, text) = Capture(json: false);
        output.WriteTable(Columns,
        [
            new JsonObject { ["name"] = "research", ["owner"] = "alice", ["createdAt"] = "2026-11-28T12:00:00.1234567+00:00" },
            new JsonObject { ["name"] = "ci-bot" },
        ], "none");

        var lines = text.ToString().Split('\n').Where(l => l.Trim().Length > 0).ToList();
        Assert.Contains(lines, l => l.Contains("NAME", StringComparison.Ordinal) && l.Contains("OWNER", StringComparison.Ordinal) && l.Contains("CREATED", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("research", StringComparison.Ordinal) && l.Contains("alice", StringComparison.Ordinal) && l.Contains("2026-11-28 12:00:00Z", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("ci-bot", StringComparison.Ordinal) && l.Contains(" - ", StringComparison.Ordinal));
        Assert.DoesNotContain('\u001b', text.ToString());
        Assert.All(lines, l => Assert.Equal(l.TrimEnd(), l));
        Assert.Contains("NAME", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyTable_PrintsTheHint()
    {
        var (output, text) = Capture(json: false);
        output.WriteTable(Columns, [], "No agents yet.");

        Assert.Equal("No agents yet.", text.ToString().Trim());
    }

    [Fact]
    public void LongValues_AreNotWrappedWhenPiped()
    {
        var (output, text) = Capture(json: false);
        var spiffeId = "spiffe://writ.local/agent/" + new string('a', 120);
        output.WriteTable([Column.Of("SPIFFE ID", "spiffeId")], [new JsonObject { ["spiffeId"] = spiffeId }], "none");

        Assert.Contains(spiffeId, text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void MarkupInValues_IsPrintedLiterally()
    {
        var (output, text) = Capture(json: false);
        output.WriteTable([Column.Of("NAME", "name")], [new JsonObject { ["name"] = "[red]x[/]" }], "none");

        Assert.Contains("[red]x[/]", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Json_IsPrintedAsReceived()
    {
        var (output, text) = Capture(json: true);
        var node = JsonNode.Parse("""{"id":"jt_1","agent":"research","token":"abc+/=","expiresAt":"2026-11-28T12:10:00Z","extra":{"n":1}}""");
        output.WriteJson(node);

        var printed = JsonNode.Parse(text.ToString());
        Assert.True(JsonNode.DeepEquals(node, printed));
        Assert.Contains("abc+/=", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Details_AreAlignedWithoutTrailingSpaces()
    {
        var (output, text) = Capture(json: false);
        output.WriteDetails([("Name", "research"), ("SPIFFE ID", "spiffe://writ.local/agent/research")]);

        var lines = text.ToString().TrimEnd().Split('\n');
        Assert.Equal(lines[0].IndexOf("research", StringComparison.Ordinal), lines[1].IndexOf("spiffe://", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Equal(l.TrimEnd(), l.TrimEnd('\r')));
    }

    [Theory]
    [InlineData("[\"a\",\"b\"]", "a, b")]
    [InlineData("[]", "-")]
    [InlineData("null", "-")]
    [InlineData("\"\"", "-")]
    [InlineData("42", "42")]
    [InlineData("true", "true")]
    public void Cells_ReadJsonValues(string json, string expected) =>
        Assert.Equal(expected, Cells.Text(JsonNode.Parse(json)));

    private static (CommandOutput Output, StringWriter Text) Capture(bool json)
    {
        var text = new StringWriter();
        using var cli = new InProcessCli();
        return (new CommandOutput(cli.Context(text, new StringWriter()), json), text);
    }
}
