using System.Text.Json.Nodes;

namespace Writ.Cli.Tests.Cedar;

// `writ cedar check-parse`: every given input parses, or its errors with line, column and caret.
public sealed class CheckParseCommandTests
{
    [Fact]
    public async Task AllInputsParse_Exit0()
    {
        using var ws = new CedarWorkspace();
        ws.Write("policies.cedar", "permit (principal, action, resource);\nforbid (principal == ?principal, action, resource);");
        ws.Write("schema.cedarschema", CedarWorkspace.PhotoSchema);
        ws.Write("entities.json", CedarWorkspace.PhotoEntities);
        var result = await ws.RunAsync("check-parse", "-p", "policies.cedar", "-s", "schema.cedarschema", "-e", "entities.json", "--expression", "1 + 2");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("ok: policies policies.cedar: 1 policy, 1 template", result.Output, StringComparison.Ordinal);
        Assert.Contains("ok: schema schema.cedarschema:", result.Output, StringComparison.Ordinal);
        Assert.Contains("ok: entities entities.json:", result.Output, StringComparison.Ordinal);
        Assert.Contains("ok: expression", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicySyntaxError_Exits1_WithLineColumnAndCaret()
    {
        using var ws = new CedarWorkspace();
        ws.Write("policies.cedar", "permit (principal, action, resource);\n\npermit (principal, action resource);\n");
        var result = await ws.RunAsync("check-parse", "-p", "policies.cedar");

        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = result.Output.TrimEnd().Split('\n');
        Assert.StartsWith("error: policies: policies.cedar:3:27: ", lines[0], StringComparison.Ordinal);
        Assert.Equal("    permit (principal, action resource);", lines[1]);
        Assert.Equal("    " + new string(' ', 26) + "^", lines[2]);
    }

    [Fact]
    public async Task MalformedEntitiesJson_Exits1_WithLineAndColumn()
    {
        using var ws = new CedarWorkspace();
        ws.Write("entities.json", "[\n  {\"uid\": {\"type\": \"User\", \"id\": \"a\"},, \"attrs\": {}, \"parents\": []}\n]");
        var result = await ws.RunAsync("check-parse", "-e", "entities.json", "--json");

        Assert.True(result.ExitCode == 1, result.ToString());
        var error = JsonNode.Parse(result.Output)!["inputs"]![0]!["error"]!;
        Assert.Equal(2, (int)error["line"]!);
    }

    [Fact]
    public async Task EntitiesNotMatchingSchema_Exit1()
    {
        using var ws = new CedarWorkspace();
        ws.Write("schema.cedarschema", CedarWorkspace.PhotoSchema);
        ws.Write("entities.json", """[{"uid": {"type": "User", "id": "a"}, "attrs": {"department": 7, "level": 1}, "parents": []}]""");
        var result = await ws.RunAsync("check-parse", "-s", "schema.cedarschema", "-e", "entities.json");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("error: entities: entities.json:", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SchemaSyntaxError_Exits1_WithPosition()
    {
        using var ws = new CedarWorkspace();
        ws.Write("schema.cedarschema", "entity User;\naction view appliesTo { principal: [User], resource: };\n");
        var result = await ws.RunAsync("check-parse", "-s", "schema.cedarschema");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("error: schema: schema.cedarschema:2:", result.Output, StringComparison.Ordinal);
        Assert.Contains("^", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoInputs_ReadsPoliciesFromStandardInput()
    {
        using var ws = new CedarWorkspace();

        var good = await ws.RunWithInputAsync("permit (principal, action, resource);", "check-parse");
        var bad = await ws.RunWithInputAsync("permit (principal, action, resource", "check-parse");

        Assert.True(good.ExitCode == 0, good.ToString());
        Assert.Contains("<stdin>: 1 policy", good.Output, StringComparison.Ordinal);
        Assert.True(bad.ExitCode == 1, bad.ToString());
        Assert.Contains("<stdin>:1:", bad.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeeplyNestedPolicy_IsAnErrorNotACrash()
    {
        using var ws = new CedarWorkspace();
        ws.Write("deep.cedar", "permit (principal, action, resource) when { " + new string('(', 100_000) + "true" + new string(')', 100_000) + " };");
        var result = await ws.RunAsync("check-parse", "-p", "deep.cedar");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("error: policies: deep.cedar:", result.Output, StringComparison.Ordinal);
    }
}
