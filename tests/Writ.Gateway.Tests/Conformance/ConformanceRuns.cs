using System.Text.Json.Nodes;

namespace Writ.Gateway.Tests.Conformance;

/// <summary>
/// Runs the suite once directly against the reference server, once through the gateway with the task token and once
/// through the gateway without any token, then reads what the gateway recorded; shared by the tests of the class.
/// </summary>
public sealed class ConformanceRuns : IAsyncLifetime
{
    private ConformanceWorld? world;

    internal ConformanceWorld World => world!;

    internal SuiteRun Direct { get; private set; } = null!;

    internal SuiteRun ThroughGateway { get; private set; } = null!;

    internal SuiteRun ThroughGatewayWithoutToken { get; private set; } = null!;

    internal IReadOnlyList<JsonObject> ToolCalls { get; private set; } = [];

    internal IReadOnlyList<JsonObject> Decisions { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        world = await ConformanceWorld.StartAsync(ct);
        Direct = await ConformanceSuite.RunAsync(world.Reference.Url, bearerToken: null, ct);
        ThroughGateway = await ConformanceSuite.RunAsync(world.GatewayUrl, world.TaskToken, ct);
        ToolCalls = await world.AuditRecordsAsync("tool.call", ct);
        Decisions = await world.AuditRecordsAsync("decision", ct);
        ThroughGatewayWithoutToken = await ConformanceSuite.RunAsync(world.GatewayUrl, bearerToken: null, ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (world is not null)
        {
            await world.DisposeAsync();
        }
    }
}
