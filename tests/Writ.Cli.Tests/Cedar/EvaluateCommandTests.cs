using System.Text.Json.Nodes;

namespace Writ.Cli.Tests.Cedar;

// `writ cedar evaluate`: the value in Cedar syntax, or the error with exit 1.
public sealed class EvaluateCommandTests
{
    [Fact]
    public async Task Expression_PrintsValueInCedarSyntax()
    {
        using var ws = new CedarWorkspace();
        var result = await ws.RunAsync("evaluate", """if 10 > 5 then {"ok": [1, User::"a"]} else "bad" """);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("""{"ok": [1, User::"a"]}""", result.Output.TrimEnd());
    }

    [Fact]
    public async Task Expression_ReadsEntitiesAndRequest()
    {
        using var ws = new CedarWorkspace();
        ws.Write("entities.json", CedarWorkspace.PhotoEntities);
        var result = await ws.RunAsync("evaluate", "if principal.department == \"eng\" && principal in Group::\"admins\" then resource.owner else User::\"nobody\"", "-e", "entities.json", "-l", "User::\"alice\"", "-a", "Action::\"view\"", "-r", "Photo::\"a.jpg\"");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("User::\"bob\"", result.Output.TrimEnd());
    }

    [Fact]
    public async Task Overflow_Exits1_WithTheError()
    {
        using var ws = new CedarWorkspace();
        var result = await ws.RunAsync("evaluate", "9223372036854775807 + 1");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("error: evaluation failed: ", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task MissingAttribute_InJson_ReportsErrorKind()
    {
        using var ws = new CedarWorkspace();
        var result = await ws.RunAsync("evaluate", "{a: 1}.b", "--json");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("AttributeDoesNotExist", (string?)JsonNode.Parse(result.Output)!["error"]!["kind"]);
    }

    [Fact]
    public async Task Json_GivesCedarJsonValueAndText()
    {
        using var ws = new CedarWorkspace();
        var result = await ws.RunAsync("evaluate", "[ip(\"10.0.0.1\"), User::\"a\"]", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = JsonNode.Parse(result.Output)!;
        Assert.Equal("ip", (string?)json["value"]![0]!["__extn"]!["fn"]);
        Assert.Equal("User", (string?)json["value"]![1]!["__entity"]!["type"]);
        Assert.Equal("[ip(\"10.0.0.1\"), User::\"a\"]", (string?)json["cedar"]);
    }

    [Fact]
    public async Task SyntaxError_Exits1_WithCaretUnderThePosition()
    {
        using var ws = new CedarWorkspace();
        var result = await ws.RunAsync("evaluate", "1 + (2 *");

        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = result.Error.TrimEnd().Split('\n');
        Assert.StartsWith("error: <expression>:1:9: ", lines[0], StringComparison.Ordinal);
        Assert.Equal("    1 + (2 *", lines[1]);
        Assert.Equal("            ^", lines[2]);
    }

    [Fact]
    public async Task WithoutRequest_PrincipalIsUnspecified()
    {
        using var ws = new CedarWorkspace();
        var result = await ws.RunAsync("evaluate", "principal");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("Unspecified::\"principal\"", result.Output.TrimEnd());
    }
}
