using System.Text.Json.Nodes;
using Writ.Cli.Tests.EndToEnd;

namespace Writ.Cli.Tests.Audit;

// `writ audit search|tail|show|export` as a user runs them, against a real `writ dev`.
public sealed class AuditLogCliTests : IClassFixture<SqliteDevServerFixture>
{
    private readonly SqliteDevServerFixture _fixture;

    public AuditLogCliTests(SqliteDevServerFixture fixture) => _fixture = fixture;

    private WritHost Server => _fixture.Server;

    [Fact]
    public async Task Search_FindsTheAdminChange_AsTableAndJson()
    {
        Assert.Equal(0, (await Server.CliAsync("owner", "add", "search-owner")).ExitCode);

        var table = await Server.CliAsync("audit", "search", "--type", "admin.change", "--actor", "bootstrap");
        var json = await Server.CliAsync("audit", "search", "--type", "admin.change", "--json");

        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("SEQ", table.Output, StringComparison.Ordinal);
        Assert.Contains("search-owner", table.Output, StringComparison.Ordinal);
        Assert.True(json.ExitCode == 0, json.ToString());
        var items = JsonNode.Parse(json.Output)!["items"]!.AsArray();
        Assert.Contains(items, i => (string?)i!["target"] == "search-owner" && (string?)i["decision"] == "applied");
    }

    [Fact]
    public async Task Show_PrintsTheRecordAndItsProof()
    {
        Assert.Equal(0, (await Server.CliAsync("owner", "add", "show-owner")).ExitCode);

        var shown = await Server.CliAsync("audit", "show", "0");
        var json = await Server.CliAsync("audit", "show", "0", "--json");

        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Contains("Sequence", shown.Output, StringComparison.Ordinal);
        Assert.Contains("Leaf hash", shown.Output, StringComparison.Ordinal);
        Assert.Contains("Proof", shown.Output, StringComparison.Ordinal);
        Assert.Equal(0, (long)JsonNode.Parse(json.Output)!["record"]!["seq"]!);
    }

    [Fact]
    public async Task ShowOfAMissingRecord_FailsWithTheServersProblem()
    {
        var shown = await Server.CliAsync("audit", "show", "999999");

        Assert.NotEqual(0, shown.ExitCode);
        Assert.Contains("999999", shown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_WritesOneJsonRecordPerLine_InSequenceOrder()
    {
        Assert.Equal(0, (await Server.CliAsync("owner", "add", "export-owner")).ExitCode);

        var export = await Server.CliAsync("audit", "export");

        Assert.True(export.ExitCode == 0, export.ToString());
        var sequences = export.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (long)JsonNode.Parse(l)!["seq"]!).ToList();
        Assert.True(sequences.Count >= 2);
        Assert.Equal(Enumerable.Range(0, sequences.Count).Select(i => (long)i), sequences);
    }

    [Fact]
    public async Task Tail_ShowsTheNewestRecordsOldestFirst()
    {
        Assert.Equal(0, (await Server.CliAsync("owner", "add", "tail-owner")).ExitCode);

        var tail = await Server.CliAsync("audit", "tail", "-n", "2", "--json");

        Assert.True(tail.ExitCode == 0, tail.ToString());
        var lines = tail.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(2, lines.Count);
        Assert.True((long)lines[0]["seq"]! < (long)lines[1]["seq"]!);
    }

    [Fact]
    public async Task TailWithBadLines_IsAUsageError()
    {
        var tail = await Server.CliAsync("audit", "tail", "-n", "0");

        Assert.NotEqual(0, tail.ExitCode);
        Assert.Contains("--lines", tail.Error, StringComparison.Ordinal);
    }
}
