using System.Text.Json.Nodes;

namespace Writ.Cli.Tests.Cedar;

// `writ cedar translate-policy` and `translate-schema`: text and JSON forms, both ways.
public sealed class TranslateCommandTests
{
    private const string Policies = """
        @id("admins")
        permit (principal in Group::"admins", action, resource);

        forbid (principal, action, resource) when { resource.private } unless { principal.level > 3 };

        permit (principal == ?principal, action == Action::"view", resource);
        """;

    [Fact]
    public async Task PolicyRoundTrip_KeepsIdsAndMeaning()
    {
        using var ws = new CedarWorkspace();
        ws.Write("policies.cedar", Policies);

        var toJson = await ws.RunAsync("translate-policy", "--direction", "cedar-to-json", "-p", "policies.cedar");
        ws.Write("policies.json", toJson.Output);
        var back = await ws.RunAsync("translate-policy", "--direction", "json-to-cedar", "-p", "policies.json");
        ws.Write("back.cedar", back.Output);
        var again = await ws.RunAsync("translate-policy", "--direction", "cedar-to-json", "-p", "back.cedar");

        Assert.True(toJson.ExitCode == 0, toJson.ToString());
        var json = JsonNode.Parse(toJson.Output)!;
        Assert.NotNull(json["staticPolicies"]!["admins"]);
        Assert.NotNull(json["staticPolicies"]!["policy1"]);
        Assert.NotNull(json["templates"]!["policy2"]);
        Assert.True(back.ExitCode == 0, back.ToString());
        Assert.True(JsonNode.DeepEquals(json, JsonNode.Parse(again.Output)), again.Output);
    }

    [Fact]
    public async Task JsonIdsThatAreNotPositional_BecomeIdAnnotations()
    {
        using var ws = new CedarWorkspace();
        var result = await ws.RunWithInputAsync(
            """{"staticPolicies": {"only-view": {"effect": "permit", "principal": {"op": "All"}, "action": {"op": "All"}, "resource": {"op": "All"}, "conditions": []}}}""",
            "translate-policy", "--direction", "json-to-cedar");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("@id(\"only-view\")", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TemplateLinks_HaveNoTextForm_Exit1()
    {
        using var ws = new CedarWorkspace();
        ws.Write("linked.json", """
            {"staticPolicies": {}, "templates": {"t": {"effect": "permit", "principal": {"op": "==", "slot": "?principal"}, "action": {"op": "All"}, "resource": {"op": "All"}, "conditions": []}},
             "templateLinks": [{"templateId": "t", "newId": "link1", "values": {"?principal": {"__entity": {"type": "User", "id": "a"}}}}]}
            """);
        var result = await ws.RunAsync("translate-policy", "--direction", "json-to-cedar", "-p", "linked.json");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("link1", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedJsonPolicy_Exits1_WithPosition()
    {
        using var ws = new CedarWorkspace();
        ws.Write("bad.json", "{\n  \"staticPolicies\": {\n    \"p\": {\"effect\": \"permit\",}\n  }\n}");
        var result = await ws.RunAsync("translate-policy", "--direction", "json-to-cedar", "-p", "bad.json");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("error: bad.json:3:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownDirection_IsAUsageError()
    {
        using var ws = new CedarWorkspace();
        ws.Write("policies.cedar", Policies);
        var result = await ws.RunAsync("translate-policy", "--direction", "cedar-to-yaml", "-p", "policies.cedar");

        Assert.True(result.ExitCode == 2, result.ToString());
    }

    [Fact]
    public async Task SchemaRoundTrip_ReachesAFixedPoint()
    {
        using var ws = new CedarWorkspace();
        ws.Write("schema.cedarschema", CedarWorkspace.PhotoSchema);

        var toJson = await ws.RunAsync("translate-schema", "--direction", "cedar-to-json", "-s", "schema.cedarschema");
        ws.Write("schema.json", toJson.Output);
        var back = await ws.RunAsync("translate-schema", "--direction", "json-to-cedar", "-s", "schema.json");
        ws.Write("back.cedarschema", back.Output);
        var again = await ws.RunAsync("translate-schema", "--direction", "cedar-to-json", "-s", "back.cedarschema");
        ws.Write("again.json", again.Output);
        var backAgain = await ws.RunAsync("translate-schema", "--direction", "json-to-cedar", "-s", "again.json");

        Assert.True(toJson.ExitCode == 0, toJson.ToString());
        Assert.NotNull(JsonNode.Parse(toJson.Output)![""]!["entityTypes"]!["Photo"]);
        Assert.True(back.ExitCode == 0, back.ToString());
        Assert.Contains("entity Photo", back.Output, StringComparison.Ordinal);
        Assert.Equal(back.Output, backAgain.Output);
    }

    [Fact]
    public async Task MalformedSchemaText_Exits1_WithPosition()
    {
        using var ws = new CedarWorkspace();
        var result = await ws.RunWithInputAsync("entity User {\n  name String\n};", "translate-schema", "--direction", "cedar-to-json");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("error: <stdin>:2:", result.Error, StringComparison.Ordinal);
    }
}
