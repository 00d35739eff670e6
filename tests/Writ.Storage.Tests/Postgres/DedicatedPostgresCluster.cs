using Writ.Testing.Postgres;

namespace Writ.Storage.Tests.Postgres;

/// <summary>A cluster of its own for tests that stop and start the server, so other test classes are unaffected.</summary>
public sealed class DedicatedPostgresCluster : IAsyncDisposable
{
    private readonly Lazy<Task<PostgresCluster>> _cluster = new(() => PostgresCluster.StartAsync(CancellationToken.None));

    public Task<PostgresCluster> GetAsync() => _cluster.Value;

    public async ValueTask DisposeAsync()
    {
        if (_cluster.IsValueCreated)
        {
            try
            {
                await (await _cluster.Value).DisposeAsync();
            }
            catch (InvalidOperationException)
            {
                // It never started; the tests have already failed with the reason.
            }
        }
    }
}
