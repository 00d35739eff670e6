using Writ.Testing.Postgres;

namespace Writ.Cli.Tests.EndToEnd;

// One `writ dev` process shared by the tests of a class; each test uses its own names.
public abstract class DevServerFixture : IAsyncLifetime
{
    private WritHost? server;

    internal WritHost Server => server ?? throw new InvalidOperationException("not started");

    internal abstract HostStorage Storage { get; }

    public async ValueTask InitializeAsync() => server = await WritHost.StartAsync(Storage);

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}

// `writ dev` on its default store, SQLite in the data directory.
public sealed class SqliteDevServerFixture : DevServerFixture
{
    internal override HostStorage Storage => HostStorage.Sqlite;
}

// `writ dev` on a fresh database of the run's PostgreSQL cluster.
public sealed class PostgresDevServerFixture(SharedPostgresCluster cluster) : DevServerFixture
{
    internal override HostStorage Storage { get; } = HostStorage.Postgres(cluster);
}
