using System.Text.Json.Nodes;
using Writ.Cli.Tests.EndToEnd;

namespace Writ.Cli.Tests.Demo;

// `writ demo` as a user runs it: the real process, against a real `writ dev`, with the real gateway, the npm
// filesystem MCP server and a throwaway PostgreSQL. Outcomes are read back from the server's state and its
// audit log (and from `writ audit verify`), not from what the demo printed.
public sealed class DemoTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Demo_AgainstRunningServer_LeavesTheScenarioInWritsStateAndAuditLog()
    {
        await using var server = await WritHost.StartAsync(HostStorage.Sqlite);
        using var demo = await DemoRun.RunAsync(server.WorkingDirectory, null, "--server", server.Server, "--data", server.DataDirectory);
        Assert.True(demo.Result.ExitCode == 0, demo.ToString());
        Assert.False((bool)demo.Document["startedServer"]!);
        using var admin = new AdminReader(server.Url, (await File.ReadAllTextAsync(server.AdminTokenFile, Ct)).Trim());
        var owner = (string)demo.Document["owner"]!;
        var researchTask = (string)demo.Document["researchTaskId"]!;
        var helperTask = (string)demo.Document["helperTaskId"]!;

        // Steps 1-2: the owner's two agents, attested by registered key and by join token, and a task of the research agent that ended completed.
        var agents = ((JsonArray)(await admin.GetAsync("agents?owner=" + owner))["items"]!).OfType<JsonObject>().Select(a => (string)a["name"]!).ToList();
        Assert.Equal(2, agents.Count);
        var researchId = (string)demo.Step(1)["research"]!["spiffeId"]!;
        var helperId = (string)demo.Step(1)["helper"]!["spiffeId"]!;
        var researchIdentity = Assert.Single(await admin.RecordsAsync($"type=identity.issued&agent={Uri.EscapeDataString(researchId)}"));
        Assert.Equal("registered_key", (string)researchIdentity["detail"]!["method"]!);
        var helperIdentity = Assert.Single(await admin.RecordsAsync($"type=identity.issued&agent={Uri.EscapeDataString(helperId)}"));
        Assert.Equal("join_token", (string)helperIdentity["detail"]!["method"]!);
        var task = await admin.GetAsync("tasks/" + researchTask);
        Assert.Equal("completed", (string)task["state"]!);
        Assert.StartsWith("research-", (string)task["agent"]!, StringComparison.Ordinal);
        Assert.Equal(owner, (string)task["owner"]!);
        Assert.False(string.IsNullOrEmpty((string?)task["dpopJkt"]), "the research task's token is DPoP-bound");

        // Step 3: the calls through the gateway were allowed and reached the MCP server.
        var decisions = await admin.RecordsAsync($"task={researchTask}&type=decision");
        Assert.True(decisions.Count(d => (string)d["decision"]! == "allow") >= 6, Show(decisions));
        Assert.Contains(decisions, d => (string)d["decision"]! == "allow" && ((string)d["target"]!).Contains("files.list_directory", StringComparison.Ordinal));
        var toolCalls = await admin.RecordsAsync($"task={researchTask}&type=tool.call");
        Assert.True(toolCalls.Count >= 6, Show(toolCalls));

        // Step 4: the injected write, the other target and the secret file were denied, each with its reason and rule.
        var denied = decisions.Where(d => (string)d["decision"]! == "deny").ToList();
        Assert.Equal(3, denied.Count);
        var write = Assert.Single(denied, d => ((string)d["target"]!).Contains("files.write_file", StringComparison.Ordinal));
        Assert.Equal("intent.undeclared_tool", (string)write["reason"]!);
        var otherTarget = Assert.Single(denied, d => ((string)d["target"]!).Contains("project:acme-billing", StringComparison.Ordinal));
        Assert.Equal("intent.undeclared_target", (string)otherTarget["reason"]!);
        var secret = Assert.Single(denied, d => (string)d["reason"]! == "policy.forbid");
        Assert.Contains("files.read_text_file", (string)secret["target"]!, StringComparison.Ordinal);
        Assert.Contains("demo-no-secret-files", ((JsonArray)secret["policies"]!).Select(p => (string)p!));

        // Step 5: the helper's task is a child of the research task with the chain; widening was refused.
        var sub = await admin.GetAsync("tasks/" + helperTask);
        Assert.Equal(researchTask, (string)sub["parentId"]!);
        Assert.Equal(1, (int)sub["depth"]!);
        Assert.StartsWith("helper-", (string)sub["agent"]!, StringComparison.Ordinal);
        var helperDecisions = await admin.RecordsAsync($"task={helperTask}&type=decision");
        Assert.Contains(helperDecisions, d => (string)d["decision"]! == "allow");
        Assert.Contains(helperDecisions, d => (string)d["decision"]! == "deny" && (string)d["reason"]! == "intent.undeclared_tool");
        Assert.All(helperDecisions, d => Assert.Contains(((JsonArray)d["chain"]!).Select(c => (string)c!), c => c.Contains("/agent/research-", StringComparison.Ordinal)));
        var refusedDelegations = await admin.RecordsAsync($"task={helperTask}&type=delegation.refused");
        var refusal = Assert.Single(refusedDelegations);
        Assert.Contains("invalid_authorization_details", (string)refusal["reason"]!, StringComparison.Ordinal);

        // Step 6: a postgres_role lease for the task, revoked when the task completed, and announced as such.
        var lease = await admin.GetAsync("leases/" + (string)demo.Document["leaseId"]!);
        Assert.Equal("postgres_role", (string)lease["kind"]!);
        Assert.Equal(researchTask, (string)lease["taskId"]!);
        Assert.Equal("revoked", (string)lease["state"]!);
        Assert.Contains("task", (string)lease["endReason"]!, StringComparison.Ordinal);
        Assert.Single(await admin.RecordsAsync($"task={researchTask}&type=lease.issued"));
        Assert.Single(await admin.RecordsAsync($"task={researchTask}&type=lease.revoked"));
        var revocations = ((JsonArray)(await admin.GetAsync("revocations?limit=1000"))["events"]!).OfType<JsonObject>();
        Assert.Contains(revocations, e => (string)e["kind"]! == "task" && (string)e["subject"]! == researchTask);

        // Step 7: the live log verifies; the demo's tampered copy fails at exactly the denied write's record.
        var verified = CliJson.Of(await WritProcess.RunAsync(server.WorkingDirectory, null, "audit", "verify", "--data", server.DataDirectory, "--json"));
        Assert.True((bool)verified["verified"]!, verified.ToJsonString());
        var tampered = demo.Step(7)["tampered"]!;
        Assert.Equal((long)write["seq"]!, (long)tampered["editedSequence"]!);
        var copy = await WritProcess.RunAsync(server.WorkingDirectory, null, "audit", "verify", "--data", (string)tampered["directory"]!, "--json");
        Assert.True(copy.ExitCode == 4, copy.ToString());
        var fault = JsonNode.Parse(copy.Output)!;
        Assert.False((bool)fault["verified"]!);
        Assert.Equal((long)write["seq"]!, (long)fault["fault"]!["sequence"]!);
    }

    [Fact]
    public async Task Demo_WithoutServerOrPostgres_StartsItsOwnWritDevAndFailsTheDatabaseStepClearly()
    {
        var directory = Directory.CreateTempSubdirectory("writ-demo-test-").FullName;
        try
        {
            var server = $"http://127.0.0.1:{Support.Ports.Free()}";
            var data = Path.Combine(directory, "data");
            var noPostgres = Directory.CreateDirectory(Path.Combine(directory, "no-postgres")).FullName;
            using var demo = await DemoRun.RunAsync(directory, new Dictionary<string, string> { ["WRIT_DEMO_PG_BINDIR"] = noPostgres }, "--server", server, "--data", data);

            // The database step failed and said how to fix it; every other step ran against the started server.
            Assert.True(demo.Result.ExitCode == 5, demo.ToString());
            Assert.True((bool)demo.Document["startedServer"]!);
            Assert.False((bool)demo.Document["passed"]!);
            var database = demo.Step(6);
            Assert.False((bool)database["passed"]!);
            Assert.Contains("apt-get install postgresql", (string)database["error"]!, StringComparison.Ordinal);
            Assert.All(new[] { 1, 2, 3, 4, 5, 7 }, n => Assert.True((bool)demo.Step(n)["passed"]!, demo.Step(n).ToJsonString()));

            // The demo stopped its `writ dev`; its store stays in --data and verifies on its own.
            using (var http = new HttpClient())
            {
                await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(new Uri(server), "/healthz"), Ct));
            }

            var verified = CliJson.Of(await WritProcess.RunAsync(directory, null, "audit", "verify", "--data", data, "--json"));
            Assert.True((bool)verified["verified"]!, verified.ToJsonString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Demo_WithoutNode_StopsWithTheInstallHintBeforeStartingAnything()
    {
        var directory = Directory.CreateTempSubdirectory("writ-demo-test-").FullName;
        try
        {
            var server = $"http://127.0.0.1:{Support.Ports.Free()}";
            var environment = new Dictionary<string, string>
            {
                // Neither node nor npm on the PATH, and an empty cache: the MCP server cannot be installed.
                ["PATH"] = Directory.CreateDirectory(Path.Combine(directory, "empty-path")).FullName,
                ["WRIT_DEMO_NODE_DIR"] = Path.Combine(directory, "node-cache"),
            };
            var result = await WritProcess.RunAsync(directory, environment, "demo", "--json", "--server", server, "--data", Path.Combine(directory, "data"));

            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Contains("apt-get install nodejs npm", result.Error, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(directory, "node-cache")) && Directory.EnumerateFileSystemEntries(Path.Combine(directory, "node-cache")).Any());
            Assert.False(Directory.Exists(Path.Combine(directory, "data")));
            using var http = new HttpClient();
            await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(new Uri(server), "/healthz"), Ct));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Show(IEnumerable<JsonObject> records) => string.Join('\n', records.Select(r => r.ToJsonString()));
}
