using System.Text.Json.Nodes;
using Writ.Cli.Tests.EndToEnd;

namespace Writ.Cli.Tests.Policy;

// `writ policy ...` through the real CLI process against a real `writ dev`. The server is shared by the tests of a
// class, so tests compare versions they created rather than absolute numbers.
public abstract class PolicyCliTests(DevServerFixture fixture)
{
    private const string PermitSearch = """
        @id("permit-search")
        permit (principal, action == Writ::Action::"CallTool", resource == Writ::Tool::"github.search_issues");
        """;

    private const string PermitGithub = """
        @id("permit-github")
        permit (principal, action == Writ::Action::"CallTool", resource in Writ::Toolset::"github");
        """;

    private const string Invalid = """
        @id("bad-attribute")
        permit (principal, action, resource) when { principal.department == "sales" };
        """;

    private WritHost Server => fixture.Server;

    private string Directory(string name, params (string File, string Text)[] files)
    {
        var dir = Path.Combine(Server.WorkingDirectory, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(dir);
        foreach (var (file, text) in files)
        {
            File.WriteAllText(Path.Combine(dir, file), text);
        }

        return dir;
    }

    private async Task<long> ActiveVersionAsync()
    {
        var list = CliJson.Of(await Server.CliAsync("policy", "list", "--json"));
        return list["active"]?.GetValue<long>() ?? 0;
    }

    [Fact]
    public async Task Apply_PrintsTheNewVersion_AndListShowsItActive()
    {
        var dir = Directory("apply", ("tools.cedar", PermitSearch));

        var applied = await Server.CliAsync("policy", "apply", dir, "--description", "search only");

        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Contains("applied and active", applied.Output, StringComparison.Ordinal);
        var version = await ActiveVersionAsync();
        var table = await Server.CliAsync("policy", "list");
        Assert.Contains(table.Output.Split('\n'), l => l.TrimStart().StartsWith(version + " ", StringComparison.Ordinal) && l.Contains('*') && l.Contains("search only", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApplyInvalidSet_Exits1_PrintsEachErrorWithFileAndLine_AndActiveVersionStays()
    {
        await Server.CliAsync("policy", "apply", Directory("base", ("a.cedar", PermitSearch)));
        var before = await ActiveVersionAsync();
        var dir = Directory("invalid", ("bad.cedar", Invalid));

        var refused = await Server.CliAsync("policy", "apply", dir);

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains(Path.Combine(dir, "bad.cedar") + ":", refused.Output, StringComparison.Ordinal);
        Assert.Contains("bad-attribute", refused.Output, StringComparison.Ordinal);
        Assert.StartsWith("error: ", refused.Error, StringComparison.Ordinal);
        Assert.Equal(before, await ActiveVersionAsync());
    }

    [Fact]
    public async Task ShowPrintsFiles_AndActivateRollsBack()
    {
        var first = CliJson.Of(await Server.CliAsync("policy", "apply", Directory("first", ("one.cedar", PermitSearch)), "--json"))["version"]!.GetValue<long>();
        var second = CliJson.Of(await Server.CliAsync("policy", "apply", Directory("second", ("two.cedar", PermitGithub)), "--json"))["version"]!.GetValue<long>();
        Assert.Equal(second, await ActiveVersionAsync());

        var shown = await Server.CliAsync("policy", "show", first.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Contains("--- one.cedar", shown.Output, StringComparison.Ordinal);
        Assert.Contains("permit-search", shown.Output, StringComparison.Ordinal);

        var activated = await Server.CliAsync("policy", "activate", first.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(activated.ExitCode == 0, activated.ToString());
        Assert.Equal(first, await ActiveVersionAsync());
    }

    [Fact]
    public async Task ApplyNoActivate_StoresWithoutActivating()
    {
        await Server.CliAsync("policy", "apply", Directory("base", ("a.cedar", PermitSearch)));
        var before = await ActiveVersionAsync();

        var stored = await Server.CliAsync("policy", "apply", Directory("later", ("b.cedar", PermitGithub)), "--no-activate");

        Assert.True(stored.ExitCode == 0, stored.ToString());
        Assert.Contains("writ policy activate", stored.Output, StringComparison.Ordinal);
        Assert.Equal(before, await ActiveVersionAsync());
    }

    [Fact]
    public async Task ActivateUnknownVersion_Exits1()
    {
        var result = await Server.CliAsync("policy", "activate", "999999");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("999999", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyMissingDirectory_ExitsWithUsageError()
    {
        var result = await Server.CliAsync("policy", "apply", "no-such-dir");

        Assert.True(result.ExitCode == 2, result.ToString());
    }

    [Fact]
    public async Task PolicyTest_PassingTests_Exit0()
    {
        var dir = TestCase(out var policies, decisionForMerge: "allow", policyText: PermitGithub);

        var result = await Server.CliAsync("policy", "test", dir, "--policies", policies);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("2 passed, 0 failed", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyTest_FailingTest_Exits1_AndNamesTheRequest()
    {
        var dir = TestCase(out var policies, decisionForMerge: "allow", policyText: PermitSearch);

        var result = await Server.CliAsync("policy", "test", dir, "--policies", policies);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("merge is allowed", result.Output, StringComparison.Ordinal);
        Assert.Contains("1 passed, 1 failed", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyTest_SetThatDoesNotValidate_Exits1()
    {
        var dir = TestCase(out var policies, decisionForMerge: "deny", policyText: Invalid);

        var result = await Server.CliAsync("policy", "test", dir, "--policies", policies);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("bad-attribute", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyTest_JsonOutput_CountsChecks()
    {
        var dir = TestCase(out var policies, decisionForMerge: "deny", policyText: PermitSearch);

        var result = CliJson.Of(await Server.CliAsync("policy", "test", dir, "--policies", policies, "--json"));

        Assert.Equal(2, result["passed"]!.GetValue<int>());
        Assert.Equal(0, result["failed"]!.GetValue<int>());
    }

    [Fact]
    public async Task PdpClientAddListRemove_ChangesWhoMayCallTheDecisionApi()
    {
        var name = "pep-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Equal(0, (await Server.CliAsync("client", "add", name, "--auth-method", "client_secret")).ExitCode);

        var added = await Server.CliAsync("policy", "pdp-client", "add", name);
        Assert.True(added.ExitCode == 0, added.ToString());
        var listed = CliJson.Of(await Server.CliAsync("policy", "pdp-client", "list", "--json"));
        Assert.Contains(name, listed["items"]!.AsArray().Select(i => i!["client"]!.GetValue<string>()));

        var removed = await Server.CliAsync("policy", "pdp-client", "remove", name);
        Assert.True(removed.ExitCode == 0, removed.ToString());
        var again = await Server.CliAsync("policy", "pdp-client", "remove", name);
        Assert.True(again.ExitCode == 1, again.ToString());
    }

    [Fact]
    public async Task PdpClientAddForUnknownClient_Exits1()
    {
        var result = await Server.CliAsync("policy", "pdp-client", "add", "ghost-client");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("writ client", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CedarSchema_PrintsTheWritSchema()
    {
        var result = await WritProcess.RunAsync(Server.WorkingDirectory, null, "cedar", "schema");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("action CallTool", result.Output, StringComparison.Ordinal);
        Assert.Contains("namespace Writ", result.Output, StringComparison.Ordinal);
    }

    // A policy directory and a test directory with one test file of two requests: search (expected allow) and merge.
    private string TestCase(out string policies, string decisionForMerge, string policyText)
    {
        policies = Directory("policies", ("set.cedar", policyText));
        var entities = new JsonArray
        {
            new JsonObject
            {
                ["uid"] = new JsonObject { ["type"] = "Writ::Agent", ["id"] = "bot" },
                ["attrs"] = new JsonObject
                {
                    ["spiffeId"] = "spiffe://writ.local/agent/bot",
                    ["owner"] = new JsonObject { ["__entity"] = new JsonObject { ["type"] = "Writ::Owner", ["id"] = "alice" } },
                    ["status"] = "active",
                    ["attestation"] = new JsonObject { ["method"] = "join_token", ["issuer"] = string.Empty },
                },
                ["parents"] = new JsonArray { new JsonObject { ["type"] = "Writ::Owner", ["id"] = "alice" } },
            },
            new JsonObject { ["uid"] = new JsonObject { ["type"] = "Writ::Owner", ["id"] = "alice" }, ["attrs"] = new JsonObject(), ["parents"] = new JsonArray() },
            new JsonObject
            {
                ["uid"] = new JsonObject { ["type"] = "Writ::Tool", ["id"] = "github.search_issues" },
                ["attrs"] = new JsonObject(),
                ["parents"] = new JsonArray { new JsonObject { ["type"] = "Writ::Toolset", ["id"] = "github" } },
            },
            new JsonObject
            {
                ["uid"] = new JsonObject { ["type"] = "Writ::Tool", ["id"] = "github.merge_pr" },
                ["attrs"] = new JsonObject(),
                ["parents"] = new JsonArray { new JsonObject { ["type"] = "Writ::Toolset", ["id"] = "github" } },
            },
        };
        JsonObject Request(string description, string tool, string decision, string? reason) => new()
        {
            ["description"] = description,
            ["principal"] = new JsonObject { ["type"] = "Writ::Agent", ["id"] = "bot" },
            ["action"] = new JsonObject { ["type"] = "Writ::Action", ["id"] = "CallTool" },
            ["resource"] = new JsonObject { ["type"] = "Writ::Tool", ["id"] = tool },
            ["decision"] = decision,
            ["reason"] = reason is null ? new JsonArray() : new JsonArray { reason },
            ["errors"] = new JsonArray(),
        };
        var policyId = policyText.Contains("permit-github", StringComparison.Ordinal) ? "permit-github" : "permit-search";
        var test = new JsonObject
        {
            ["entities"] = "agents.entities.json",
            ["requests"] = new JsonArray
            {
                Request("search is allowed", "github.search_issues", "allow", policyId),
                Request("merge is " + (decisionForMerge == "allow" ? "allowed" : "denied"), "github.merge_pr", decisionForMerge, decisionForMerge == "allow" ? policyId : null),
            },
        };
        var dir = Directory("tests", ("agents.entities.json", entities.ToJsonString()), ("calls.json", test.ToJsonString()));
        return dir;
    }
}

public sealed class SqlitePolicyCliTests(SqliteDevServerFixture fixture) : PolicyCliTests(fixture), IClassFixture<SqliteDevServerFixture>;

public sealed class PostgresPolicyCliTests(PostgresDevServerFixture fixture) : PolicyCliTests(fixture), IClassFixture<PostgresDevServerFixture>;
