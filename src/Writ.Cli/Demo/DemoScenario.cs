using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using Writ.Cli.Api;
using Writ.Sdk;
using Writ.Sdk.Mcp;
using Writ.Storage.Postgres;

namespace Writ.Cli.Demo;

// The narrated scenario of `writ demo`: an owner, a research agent and a helper, one task over a project's
// issues, a prompt injection that Writ stops, a delegation that can only narrow, a database credential that
// dies with the task, and an audit log that proves all of it. The agent side uses Writ.Sdk throughout.
internal sealed partial class DemoScenario : IAsyncDisposable
{
    private const string DatabaseToolset = "issuesdb";
    private const string ResearchKeyId = "research-key-1";

    private readonly DemoEnvironment environment;
    private readonly DemoNarrator narrator;
    private readonly AdminApiClient api;
    private readonly string filesystemServer;
    private readonly Task<ThrowawayCluster> postgres;
    private readonly JsonObject document = [];
    private readonly CancellationToken cancellationToken;

    private ECDsa? researchKey;
    private WritClient? researchClient;
    private WritClient? helperClient;
    private AgentTask? researchTask;
    private AgentRecord? research;
    private AgentRecord? helper;
    private long? tamperTarget;

    private DemoScenario(DemoEnvironment environment, DemoNarrator narrator, string filesystemServer, Task<ThrowawayCluster> postgres, CancellationToken cancellationToken)
    {
        this.environment = environment;
        this.narrator = narrator;
        this.filesystemServer = filesystemServer;
        this.postgres = postgres;
        this.cancellationToken = cancellationToken;
        api = new AdminApiClient(environment.Server.Url, environment.Server.AdminToken);
        var run = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));
        Owner = "alice-" + run;
        ResearchName = "research-" + run;
        HelperName = "helper-" + run;
        ConnectionName = "issues-db-" + run;
    }

    public string Owner { get; }

    public string ResearchName { get; }

    public string HelperName { get; }

    public string ConnectionName { get; }

    // Runs the seven steps against the environment and returns the --json document (the narrator has the steps).
    // filesystemServer is the installed MCP filesystem server's entry point (index.js).
    public static async Task<JsonObject> RunAsync(DemoEnvironment environment, DemoNarrator narrator, string filesystemServer, CancellationToken cancellationToken)
    {
        // PostgreSQL's initdb, the slowest preparation, runs while the first steps do.
        var postgres = environment.StartPostgresAsync(cancellationToken);
        await using var scenario = new DemoScenario(environment, narrator, filesystemServer, postgres, cancellationToken);
        await scenario.RunStepsAsync();
        return scenario.document;
    }

    public async ValueTask DisposeAsync()
    {
        // A task left active by a failed step is completed, so its token and leases end with the demo.
        if (researchTask is not null)
        {
            try
            {
                await researchTask.DisposeAsync();
            }
            catch (Exception e) when (e is WritException or HttpRequestException or TaskCanceledException)
            {
                // Writ is going away with the demo; the task expires on its own.
            }
        }

        if (helperClient is not null)
        {
            await helperClient.DisposeAsync();
        }

        if (researchClient is not null)
        {
            await researchClient.DisposeAsync();
        }

        api.Dispose();
        researchKey?.Dispose();

        // Let the database start finish (or fail) before the environment stops it and removes its files.
        await postgres.ContinueWith(static _ => { }, TaskScheduler.Default);
    }

    private async Task RunStepsAsync()
    {
        document["server"] = environment.Server.Url.ToString().TrimEnd('/');
        document["startedServer"] = environment.Server.Started;
        document["dataDirectory"] = environment.Server.DataDirectory;
        document["workspace"] = environment.Workspace;
        document["owner"] = Owner;

        await narrator.RunAsync(1, "An owner registers a research agent and a helper agent", RegisterAsync, cancellationToken);
        await narrator.RunAsync(2, "The research agent attests and starts a task with a declared intent", StartTaskAsync, cancellationToken);
        await narrator.RunAsync(3, "Its calls go through the gateway to the real MCP server and are allowed", SummarizeAsync, cancellationToken);
        await narrator.RunAsync(4, "A prompt injection makes it try a write tool, a secret file and another target: denied", InjectionAsync, cancellationToken);
        await narrator.RunAsync(5, "It delegates a narrower sub-task to the helper, which cannot widen it", DelegateAsync, cancellationToken);
        await narrator.RunAsync(6, "A dynamic PostgreSQL credential lives and dies with the task", DatabaseAsync, cancellationToken);
        await narrator.RunAsync(7, "The audit log verifies; a tampered copy fails at the edited record", AuditAsync, cancellationToken);
    }

    private AgentTask RequireTask() =>
        researchTask ?? throw new DemoException("not run: the research task did not start (step 2)");

    private static Dictionary<string, object?> Arguments(params (string Name, object? Value)[] arguments) =>
        arguments.ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal);

    private Task<McpClient> ConnectAsync(AgentTask task, string route) =>
        task.ConnectMcpClientAsync(new Uri(environment.GatewayUrl!, route), cancellationToken: cancellationToken);

    // An agent as registered: its name and SPIFFE ID.
    private sealed record AgentRecord(string Name, string SpiffeId);
}
