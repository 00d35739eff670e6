using System.Text.Json.Nodes;

namespace Writ.Cli.Tests.Cedar;

// `writ cedar validate`: strict validation; exit 0 valid, 3 invalid, 1 unreadable input.
public sealed class ValidateCommandTests
{
    [Fact]
    public async Task ValidPolicies_Exit0()
    {
        using var ws = Workspace("""permit (principal, action == Action::"view", resource) when { principal.level > 3 && resource.owner == principal };""");
        var result = await ws.RunAsync("validate", "-p", "policies.cedar", "-s", "schema.cedarschema");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("validation passed (0 errors, 0 warnings)", result.Output.TrimEnd());
    }

    [Fact]
    public async Task TypeError_Exits3_WithPolicyIdAndPosition()
    {
        using var ws = Workspace("""
            permit (principal, action, resource);
            permit (principal, action == Action::"view", resource)
            when { principal.level == "high" };
            """);
        var result = await ws.RunAsync("validate", "-p", "policies.cedar", "-s", "schema.cedarschema");

        Assert.True(result.ExitCode == 3, result.ToString());
        var lines = result.Output.TrimEnd().Split('\n');
        Assert.Matches(@"^policies\.cedar:\d+:\d+: error in policy1 \(", lines[0]);
        Assert.StartsWith("validation failed (1 error", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownEntityType_Exits3()
    {
        using var ws = Workspace("""permit (principal == Robot::"r2", action, resource);""");
        var result = await ws.RunAsync("validate", "-p", "policies.cedar", "-s", "schema.cedarschema");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("unrecognized-entity-type", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WarningOnly_Passes_ButFailsWithDenyWarnings()
    {
        // view applies to User principals only, so a Group principal can never match: a warning in cedar 4.13.
        using var ws = Workspace("""permit (principal == Group::"admins", action == Action::"view", resource);""");

        var lenient = await ws.RunAsync("validate", "-p", "policies.cedar", "-s", "schema.cedarschema");
        var strict = await ws.RunAsync("validate", "-p", "policies.cedar", "-s", "schema.cedarschema", "--deny-warnings");

        Assert.True(lenient.ExitCode == 0, lenient.ToString());
        Assert.Contains("warning in policy0", lenient.Output, StringComparison.Ordinal);
        Assert.True(strict.ExitCode == 3, strict.ToString());
    }

    [Fact]
    public async Task Json_ListsErrorsWithIdsAndPositions()
    {
        using var ws = Workspace("""permit (principal, action == Action::"view", resource) when { resource.nothing };""");
        var result = await ws.RunAsync("validate", "-p", "policies.cedar", "-s", "schema.cedarschema", "--json");

        Assert.True(result.ExitCode == 3, result.ToString());
        var json = JsonNode.Parse(result.Output)!;
        Assert.False((bool)json["passed"]!);
        var error = json["errors"]![0]!;
        Assert.Equal("policy0", (string?)error["policyId"]);
        Assert.True((int)error["line"]! >= 1);
    }

    [Fact]
    public async Task JsonSchema_IsReadByExtension()
    {
        using var ws = Workspace("""permit (principal, action == Action::"view", resource);""");
        var json = await ws.RunAsync("translate-schema", "--direction", "cedar-to-json", "-s", "schema.cedarschema");
        ws.Write("schema.json", json.Output);

        var result = await ws.RunAsync("validate", "-p", "policies.cedar", "-s", "schema.json");

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task MissingSchemaOption_IsAUsageError()
    {
        using var ws = Workspace("permit (principal, action, resource);");
        var result = await ws.RunAsync("validate", "-p", "policies.cedar");

        Assert.True(result.ExitCode == 2, result.ToString());
    }

    [Fact]
    public async Task MalformedSchema_Exits1_WithPosition()
    {
        using var ws = Workspace("permit (principal, action, resource);");
        ws.Write("bad.cedarschema", "entity User {\n  name: ;\n};\n");
        var result = await ws.RunAsync("validate", "-p", "policies.cedar", "-s", "bad.cedarschema");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("error: bad.cedarschema:2:", result.Error, StringComparison.Ordinal);
    }

    private static CedarWorkspace Workspace(string policies)
    {
        var ws = new CedarWorkspace();
        ws.Write("policies.cedar", policies);
        ws.Write("schema.cedarschema", CedarWorkspace.PhotoSchema);
        return ws;
    }
}
