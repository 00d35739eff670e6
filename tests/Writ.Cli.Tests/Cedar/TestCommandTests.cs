using System.Text.Json.Nodes;
using Writ.Cli.Tests.EndToEnd;

namespace Writ.Cli.Tests.Cedar;

// `writ cedar test`: conformance-format test files; `N passed, M failed`; exit 0, 1, or 2 for unreadable input.
public sealed class TestCommandTests
{
    [Fact]
    public async Task HandWrittenConformanceTests_AllPass()
    {
        var conformance = CedarWorkspace.ConformanceDirectory();
        using var ws = new CedarWorkspace();
        var result = await ws.RunAsync("test", Path.Combine(conformance, "tests"), "--root", conformance);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"^[1-9]\d* passed, 0 failed$", CedarWorkspace.LastLine(result.Output));
    }

    [Fact]
    public async Task WrongExpectation_Exits1_AndNamesCaseRequestAndDifference()
    {
        using var ws = Suite();
        var result = await ws.RunAsync("test", "suite", "--root", ".");

        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = result.Output.TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"FAIL {Path.Combine("suite", "photos.json")} [bob may view (wrong on purpose): User::\"bob\" Action::\"view\" Photo::\"a.jpg\"]: decision expected allow, got deny", lines[0], StringComparison.Ordinal);
        Assert.Equal("2 passed, 1 failed", lines[1]);

        // Progress is drawn only on a real terminal, never into captured output.
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task SingleFile_WithRootDefaultingToWorkingDirectory()
    {
        using var ws = Suite();
        var result = await ws.RunAsync("test", "suite/photos.json");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("2 passed, 1 failed", CedarWorkspace.LastLine(result.Output));
    }

    [Fact]
    public async Task WrongValidationVerdict_CountsAsOneFailure()
    {
        using var ws = Suite();
        ws.Write("suite/photos.json", ws.Read("suite/photos.json").Replace("\"shouldValidate\": true", "\"shouldValidate\": false", StringComparison.Ordinal));
        var result = await ws.RunAsync("test", "suite", "--root", ".");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("[validation]: expected shouldValidate=false", result.Output, StringComparison.Ordinal);
        Assert.Equal("1 passed, 2 failed", CedarWorkspace.LastLine(result.Output));
    }

    [Fact]
    public async Task Json_ReportsCountsAndFailures()
    {
        using var ws = Suite();
        var result = await ws.RunAsync("test", "suite", "--json");

        Assert.True(result.ExitCode == 1, result.ToString());
        var json = JsonNode.Parse(result.Output)!;
        Assert.Equal(2, (int)json["passed"]!);
        Assert.Equal(1, (int)json["failed"]!);
        Assert.Equal("bob may view (wrong on purpose)", (string?)json["failures"]![0]!["request"]);
        Assert.Equal("2 passed, 1 failed", (string?)json["summary"]);
    }

    [Fact]
    public async Task MissingReferencedFile_IsAFailedCase_NotACrash()
    {
        using var ws = Suite();
        File.Delete(Path.Combine(ws.Directory, "suite", "policies.cedar"));
        var result = await ws.RunAsync("test", "suite");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("0 passed, 3 failed", CedarWorkspace.LastLine(result.Output));
    }

    [Fact]
    public async Task MissingInput_Exits2()
    {
        using var ws = new CedarWorkspace();
        var result = await ws.RunAsync("test", "no-such-tests");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("no-such-tests", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task CorruptTarball_Exits2()
    {
        using var ws = new CedarWorkspace();
        ws.Write("tests.tar.gz", "this is not gzip");
        var result = await ws.RunAsync("test", "tests.tar.gz");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("error: cannot read tests.tar.gz", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DirectoryWithoutTestFiles_Exits2()
    {
        using var ws = new CedarWorkspace();
        ws.Write("empty/only.entities.json", "[]");
        var result = await ws.RunAsync("test", "empty");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("no test files", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingRoot_Exits2()
    {
        using var ws = Suite();
        var result = await ws.RunAsync("test", "suite", "--root", "no-such-root");

        Assert.True(result.ExitCode == 2, result.ToString());
    }

    [Fact]
    public async Task CorpusTarball_RunByTheRealExecutable_AllPass()
    {
        var conformance = CedarWorkspace.ConformanceDirectory();
        var tarball = Path.Combine(conformance, "corpus-tests.tar.gz");
        Assert.True(File.Exists(tarball), $"conformance corpus not found at {tarball}; set WRIT_CEDAR_CONFORMANCE");

        var result = await WritProcess.RunAsync(Path.GetTempPath(), null, "cedar", "test", tarball, "--root", conformance);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"^[1-9]\d* passed, 0 failed$", CedarWorkspace.LastLine(result.Output));
    }

    // One case with a schema (so one validation check) and two requests, the second expecting the wrong decision.
    private static CedarWorkspace Suite()
    {
        var ws = new CedarWorkspace();
        ws.Write("suite/policies.cedar", """permit (principal in Group::"admins", action == Action::"view", resource);""");
        ws.Write("suite/photos.entities.json", CedarWorkspace.PhotoEntities);
        ws.Write("suite/photos.cedarschema", CedarWorkspace.PhotoSchema);
        ws.Write("suite/photos.json", """
            {
              "policies": "suite/policies.cedar",
              "entities": "suite/photos.entities.json",
              "schema": "suite/photos.cedarschema",
              "shouldValidate": true,
              "requests": [
                {"description": "alice may view", "principal": {"type": "User", "id": "alice"}, "action": {"type": "Action", "id": "view"},
                 "resource": {"type": "Photo", "id": "a.jpg"}, "context": {"score": "0.5"}, "validateRequest": true, "decision": "allow", "reason": ["policy0"], "errors": []},
                {"description": "bob may view (wrong on purpose)", "principal": {"type": "User", "id": "bob"}, "action": {"type": "Action", "id": "view"},
                 "resource": {"type": "Photo", "id": "a.jpg"}, "context": {"score": "0.5"}, "validateRequest": true, "decision": "allow", "reason": ["policy0"], "errors": []}
              ]
            }
            """);
        return ws;
    }
}
