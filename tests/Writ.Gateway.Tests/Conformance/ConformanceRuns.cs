using System.Text.Json.Nodes;

namespace Writ.Gateway.Tests.Conformance;

/// <summary>
/// Runs the active suite directly against the reference server, through the gateway with the task token and through
/// the gateway without any token, and the pending suite directly and through the gateway; reads what the gateway
/// recorded. Shared by the tests of the class.
/// </summary>
public sealed class ConformanceRuns : IAsyncLifetime
{
    private ConformanceWorld? world;

    internal ConformanceWorld World => world!;

    internal SuiteRun Direct { get; private set; } = null!;

    internal SuiteRun ThroughGateway { get; private set; } = null!;

    internal SuiteRun ThroughGatewayWithoutToken { get; private set; } = null!;

    internal SuiteRun PendingDirect { get; private set; } = null!;

    internal SuiteRun PendingThroughGateway { get; private set; } = null!;

    internal IReadOnlyList<JsonObject> ToolCalls { get; private set; } = [];

    /// <summary>The tool, resource and prompt calls that reached the reference server during the gateway run.</summary>
    internal IReadOnlyList<string> UpstreamCallsThroughGateway { get; private set; } = [];

    /// <summary>The calls that reached the reference server during the run without a token.</summary>
    internal IReadOnlyList<string> UpstreamCallsWithoutToken { get; private set; } = [];

    internal IReadOnlyList<JsonObject> Decisions { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        world = await ConformanceWorld.StartAsync(ct);
        Direct = await ConformanceSuite.RunAsync("active", world.Reference.Url, bearerToken: null, ct);
        world.Reference.Calls.Take();
        ThroughGateway = await ConformanceSuite.RunAsync("active", world.GatewayUrl, world.TaskToken, ct);
        UpstreamCallsThroughGateway = world.Reference.Calls.Take();
        ToolCalls = await world.AuditRecordsAsync("tool.call", ct);
        Decisions = await world.AuditRecordsAsync("decision", ct);
        ThroughGatewayWithoutToken = await ConformanceSuite.RunAsync("active", world.GatewayUrl, bearerToken: null, ct);
        UpstreamCallsWithoutToken = world.Reference.Calls.Take();
        PendingDirect = await ConformanceSuite.RunAsync("pending", world.Reference.Url, bearerToken: null, ct);
        PendingThroughGateway = await ConformanceSuite.RunAsync("pending", world.GatewayUrl, world.TaskToken, ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (world is not null)
        {
            await world.DisposeAsync();
        }
    }
}
