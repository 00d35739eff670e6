namespace Writ.Gateway.Tests.Conformance;

/// <summary>Runs the suite once directly against the reference server and once through the gateway, for all the tests of the class.</summary>
public sealed class ConformanceRuns : IAsyncLifetime
{
    private ConformanceWorld? world;

    internal SuiteRun Direct { get; private set; } = null!;

    internal SuiteRun ThroughGateway { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        world = await ConformanceWorld.StartAsync(ct);
        Direct = await ConformanceSuite.RunAsync(world.Reference.Url, bearerToken: null, ct);
        ThroughGateway = await ConformanceSuite.RunAsync(world.GatewayUrl, world.TaskToken, ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (world is not null)
        {
            await world.DisposeAsync();
        }
    }
}
