namespace Writ.Cli.Tests.EndToEnd;

// One `writ dev` process shared by the tests of a class; each test uses its own names.
public sealed class DevServerFixture : IAsyncLifetime
{
    private WritHost? server;

    internal WritHost Server => server ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync() => server = await WritHost.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
