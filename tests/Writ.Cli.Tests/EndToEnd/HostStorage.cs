using Writ.Testing.Postgres;

namespace Writ.Cli.Tests.EndToEnd;

// Where a `writ` process under test keeps its data. Each host gets a store of its own.
internal abstract class HostStorage
{
    public static HostStorage Sqlite { get; } = new SqliteHostStorage();

    public abstract string Name { get; }

    public static HostStorage Postgres(SharedPostgresCluster cluster) => new PostgresHostStorage(cluster);

    public abstract Task<HostDatabase> CreateAsync(CancellationToken cancellationToken);

    public override string ToString() => Name;

    // The default provider: the database file lives in the host's data directory, so there is nothing to create.
    private sealed class SqliteHostStorage : HostStorage
    {
        public override string Name => "sqlite";

        public override Task<HostDatabase> CreateAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new HostDatabase(new Dictionary<string, string>(), static () => Task.CompletedTask));
    }

    // A fresh database in the run's cluster, handed to the process through its environment as an operator would.
    private sealed class PostgresHostStorage(SharedPostgresCluster cluster) : HostStorage
    {
        public override string Name => "postgres";

        public override async Task<HostDatabase> CreateAsync(CancellationToken cancellationToken)
        {
            var (name, connectionString) = await cluster.CreateDatabaseAsync(cancellationToken);
            var environment = new Dictionary<string, string>
            {
                ["WRIT_STORAGE__PROVIDER"] = "postgres",
                ["WRIT_STORAGE__CONNECTION_STRING"] = connectionString,
            };
            return new HostDatabase(environment, () => cluster.DropDatabaseAsync(name, CancellationToken.None), connectionString);
        }
    }
}
