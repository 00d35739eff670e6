namespace Writ.Testing.Postgres;

/// <summary>
/// One cluster for a whole test run, started on first use and stopped when the run ends. Register it
/// as an assembly fixture (xunit v3: <c>[assembly: AssemblyFixture(typeof(SharedPostgresCluster))]</c>)
/// and give each test class its own database with <see cref="CreateDatabaseAsync"/>.
/// Starting lazily means test classes that never ask for it do not need PostgreSQL.
/// </summary>
public sealed class SharedPostgresCluster : IAsyncDisposable
{
    private readonly Lazy<Task<PostgresCluster>> _cluster = new(() => PostgresCluster.StartAsync(CancellationToken.None));

    /// <summary>The running cluster (started by the first caller; a failure to start is reported to every caller).</summary>
    public Task<PostgresCluster> GetAsync() => _cluster.Value;

    /// <summary>Creates a fresh database and returns a connection string for it.</summary>
    public async Task<(string Name, string ConnectionString)> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var cluster = await GetAsync();
        var name = await cluster.CreateDatabaseAsync(cancellationToken);
        return (name, cluster.ConnectionString(name));
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>.</summary>
    public async Task DropDatabaseAsync(string name, CancellationToken cancellationToken) =>
        await (await GetAsync()).DropDatabaseAsync(name, cancellationToken);

    /// <inheritdoc />
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
                // It never started; the tests that needed it have already failed with the reason.
            }
        }
    }
}
