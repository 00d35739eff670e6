using System.Text.Json.Nodes;

namespace Writ.Cli.Tests.Cedar;

// `writ cedar authorize`: decision, determining and erroring policies, exit 0 on allow and 2 on deny.
public sealed class AuthorizeCommandTests
{
    private const string Policies = """
        permit (principal in Group::"admins", action == Action::"view", resource);

        forbid (principal, action, resource) when { resource.private };

        permit (principal, action == Action::"view", resource) when { principal.missing == 1 };
        """;

    private static readonly string[] AliceViewsPhoto = ["--principal", "User::\"alice\"", "--action", "Action::\"view\"", "--resource", "Photo::\"a.jpg\""];

    [Fact]
    public async Task Allow_Exits0_AndPrintsDeterminingAndErroringPolicies()
    {
        using var ws = Photos();
        var result = await ws.RunAsync(["authorize", "--policies", "policies.cedar", "--entities", "entities.json", .. AliceViewsPhoto]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Output.TrimEnd().Split('\n');
        Assert.Equal("ALLOW", lines[0]);
        Assert.Equal("determined by: policy0", lines[1]);
        Assert.StartsWith("error in policy2: ", lines[2], StringComparison.Ordinal);
        Assert.Contains("missing", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForbidOverridesPermit_Exits2_WithForbidAsReason()
    {
        using var ws = Photos();
        var result = await ws.RunAsync("authorize", "-v", "-p", "policies.cedar", "-e", "entities.json", "-l", "User::\"alice\"", "-a", "Action::\"view\"", "-r", "Photo::\"secret.jpg\"");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("DENY\ndetermined by: policy1\n", result.Output.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoPolicyApplies_IsDefaultDeny_Exits2()
    {
        using var ws = Photos();
        var result = await ws.RunAsync("authorize", "-p", "policies.cedar", "-e", "entities.json", "-l", "User::\"bob\"", "-a", "Action::\"delete\"", "-r", "Photo::\"a.jpg\"");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("no policy applied (default deny)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_HasCedarResponseShape()
    {
        using var ws = Photos();
        var result = await ws.RunAsync(["authorize", "-p", "policies.cedar", "-e", "entities.json", "--json", .. AliceViewsPhoto]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = JsonNode.Parse(result.Output)!;
        Assert.Equal("allow", (string?)json["decision"]);
        Assert.Equal("policy0", (string?)json["diagnostics"]!["reason"]![0]);
        Assert.Equal("policy2", (string?)json["diagnostics"]!["errors"]![0]!["policyId"]);
        Assert.False(string.IsNullOrEmpty((string?)json["diagnostics"]!["errors"]![0]!["error"]!["message"]));
    }

    [Fact]
    public async Task WithSchema_ContextIsReadAsDeclaredTypes()
    {
        using var ws = Photos();
        ws.Write("scored.cedar", """permit (principal, action == Action::"view", resource) when { context.score.greaterThan(decimal("0.5")) };""");
        ws.Write("context.json", """{"score": "0.75"}""");
        var result = await ws.RunAsync(["authorize", "-p", "scored.cedar", "-e", "entities.json", "-s", "schema.cedarschema", "-c", "context.json", .. AliceViewsPhoto]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("ALLOW", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestNotConformingToSchema_Exits1_UnlessValidationIsOff()
    {
        using var ws = Photos();
        ws.Write("open.cedar", "permit (principal, action, resource);");
        ws.Write("context.json", """{"score": "0.75"}""");
        string[] groupViewsPhoto = ["authorize", "-p", "open.cedar", "-e", "entities.json", "-s", "schema.cedarschema", "-c", "context.json", "-l", "Group::\"admins\"", "-a", "Action::\"view\"", "-r", "Photo::\"a.jpg\""];

        var validated = await ws.RunAsync(groupViewsPhoto);
        var unvalidated = await ws.RunAsync([.. groupViewsPhoto, "--request-validation", "false"]);

        Assert.True(validated.ExitCode == 1, validated.ToString());
        Assert.Contains("does not conform to the schema", validated.Error, StringComparison.Ordinal);
        Assert.Empty(validated.Output);
        Assert.True(unvalidated.ExitCode == 0, unvalidated.ToString());
    }

    [Fact]
    public async Task RequestJson_GivesTheWholeRequest()
    {
        using var ws = Photos();
        ws.Write("request.json", """{"principal": "User::\"alice\"", "action": {"type": "Action", "id": "view"}, "resource": "Photo::\"a.jpg\"", "context": {}}""");
        var result = await ws.RunAsync("authorize", "-p", "policies.cedar", "-e", "entities.json", "--request-json", "request.json");

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task RequestJsonTogetherWithPrincipal_IsRejected()
    {
        using var ws = Photos();
        ws.Write("request.json", """{"principal": "User::\"alice\"", "action": "Action::\"view\"", "resource": "Photo::\"a.jpg\"", "context": {}}""");
        var result = await ws.RunAsync("authorize", "-p", "policies.cedar", "--request-json", "request.json", "--principal", "User::\"bob\"");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("--request-json replaces", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IncompleteRequest_Exits1_SayingWhatIsMissing()
    {
        using var ws = Photos();
        var result = await ws.RunAsync("authorize", "-p", "policies.cedar", "--principal", "User::\"alice\"", "--action", "Action::\"view\"");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("--resource", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedEntityReference_Exits1_NamingTheOption()
    {
        using var ws = Photos();
        var result = await ws.RunAsync("authorize", "-p", "policies.cedar", "--principal", "alice", "--action", "Action::\"view\"", "--resource", "Photo::\"a.jpg\"");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("--principal is not an entity reference", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingPolicyFile_Exits1_NamingTheFile()
    {
        using var ws = Photos();
        var result = await ws.RunAsync(["authorize", "-p", "nowhere.cedar", .. AliceViewsPhoto]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("error: nowhere.cedar: cannot read policies: no such file", result.Error.TrimEnd());
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task InvalidUtf8PolicyFile_Exits1()
    {
        using var ws = Photos();
        await File.WriteAllBytesAsync(Path.Combine(ws.Directory, "binary.cedar"), [0x70, 0x65, 0xff, 0xfe, 0x00], TestContext.Current.CancellationToken);
        var result = await ws.RunAsync(["authorize", "-p", "binary.cedar", .. AliceViewsPhoto]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("not valid UTF-8", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndlessDeviceAsPolicies_IsRefusedAtTheSizeLimit()
    {
        using var ws = Photos();
        var result = await ws.RunAsync(["authorize", "-p", "/dev/zero", .. AliceViewsPhoto]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("larger than 64 MiB", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CyclicEntityParents_AreRejected_WithClearError()
    {
        using var ws = Photos();
        ws.Write("cycle.json", """
            [{"uid": {"type": "Group", "id": "a"}, "attrs": {}, "parents": [{"type": "Group", "id": "b"}]},
             {"uid": {"type": "Group", "id": "b"}, "attrs": {}, "parents": [{"type": "Group", "id": "a"}]}]
            """);
        ws.Write("cycle.cedar", """permit (principal in Group::"b", action, resource);""");
        var result = await ws.RunAsync("authorize", "-p", "cycle.cedar", "-e", "cycle.json", "-l", "Group::\"a\"", "-a", "Action::\"view\"", "-r", "Photo::\"a.jpg\"");

        // cedar 4.13 requires the entity hierarchy to be a DAG: a cycle is an input error, never a loop.
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("cycle", result.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PolicyParseError_Exits1_WithLineColumnAndCaret()
    {
        using var ws = Photos();
        ws.Write("broken.cedar", "permit (principal, action, resource);\npermit (principal, action, resource) when { 1 + };\n");
        var result = await ws.RunAsync(["authorize", "-p", "broken.cedar", .. AliceViewsPhoto]);

        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = result.Error.TrimEnd().Split('\n');
        Assert.StartsWith("error: broken.cedar:2:", lines[0], StringComparison.Ordinal);
        Assert.Contains("^", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedEntities_Exits1_NamingTheFile()
    {
        using var ws = Photos();
        ws.Write("bad-entities.json", """[{"uid": {"type": "User", "id": "alice"}, "attrs": {}, "parents": [""" + "\n");
        var result = await ws.RunAsync(["authorize", "-p", "policies.cedar", "-e", "bad-entities.json", .. AliceViewsPhoto]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("error: bad-entities.json:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TemplateLinks_AreAuthorizedUnderTheirLinkId()
    {
        using var ws = Photos();
        ws.Write("templates.cedar", """
            @id("owner-can-view")
            permit (principal == ?principal, action == Action::"view", resource in ?resource);
            """);
        ws.Write("links.json", """[{"template_id": "owner-can-view", "link_id": "alice-a", "args": {"?principal": "User::\"alice\"", "?resource": "Photo::\"a.jpg\""}}]""");
        var result = await ws.RunAsync(["authorize", "-p", "templates.cedar", "-k", "links.json", "-e", "entities.json", .. AliceViewsPhoto]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("determined by: alice-a", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LinkToUnknownTemplate_Exits1()
    {
        using var ws = Photos();
        ws.Write("links.json", """[{"template_id": "nope", "link_id": "x", "args": {"?principal": "User::\"alice\""}}]""");
        var result = await ws.RunAsync(["authorize", "-p", "policies.cedar", "-k", "links.json", .. AliceViewsPhoto]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("nope", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdAnnotation_NamesThePolicy_AndDuplicateIdsAreRejected()
    {
        using var ws = Photos();
        ws.Write("named.cedar", """@id("admins-view") permit (principal in Group::"admins", action, resource);""");
        ws.Write("twice.cedar", """@id("same") permit (principal, action, resource); @id("same") forbid (principal, action, resource);""");

        var named = await ws.RunAsync(["authorize", "-p", "named.cedar", "-e", "entities.json", .. AliceViewsPhoto]);
        var twice = await ws.RunAsync(["authorize", "-p", "twice.cedar", .. AliceViewsPhoto]);

        Assert.Contains("determined by: admins-view", named.Output, StringComparison.Ordinal);
        Assert.True(twice.ExitCode == 1, twice.ToString());
        Assert.Contains("same", twice.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonPolicyFormat_IsRead()
    {
        using var ws = Photos();
        ws.Write("policies.json", """
            {"staticPolicies": {"view-all": {"effect": "permit", "principal": {"op": "All"}, "action": {"op": "==", "entity": {"type": "Action", "id": "view"}}, "resource": {"op": "All"}, "conditions": []}}, "templates": {}, "templateLinks": []}
            """);
        var result = await ws.RunAsync(["authorize", "-p", "policies.json", "--policy-format", "json", .. AliceViewsPhoto]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("determined by: view-all", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownPolicyFormat_IsAUsageError()
    {
        using var ws = Photos();
        var result = await ws.RunAsync(["authorize", "-p", "policies.cedar", "--policy-format", "yaml", .. AliceViewsPhoto]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("yaml", result.Error, StringComparison.Ordinal);
    }

    private static CedarWorkspace Photos()
    {
        var ws = new CedarWorkspace();
        ws.Write("policies.cedar", Policies);
        ws.Write("entities.json", CedarWorkspace.PhotoEntities);
        ws.Write("schema.cedarschema", CedarWorkspace.PhotoSchema);
        return ws;
    }
}
