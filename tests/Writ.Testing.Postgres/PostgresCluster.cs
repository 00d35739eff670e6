using Writ.Storage.Postgres;

namespace Writ.Testing.Postgres;

/// <summary>
/// A throwaway PostgreSQL cluster for tests (<see cref="ThrowawayCluster"/>, the one <c>writ demo</c> uses too),
/// found through <see cref="PostgresBinaries"/>, with helpers to give each test its own database.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    /// <summary>Environment variable naming the unprivileged user when the tests run as root (default <c>postgres</c>).</summary>
    public const string UserVariable = "WRIT_TEST_PG_USER";

    private const string Superuser = "writ_test";

    private readonly ThrowawayCluster _cluster;

    private PostgresCluster(ThrowawayCluster cluster) => _cluster = cluster;

    /// <summary>The temporary directory holding the data directory, the socket and the server log.</summary>
    public string RootDirectory => _cluster.RootDirectory;

    /// <summary>The cluster's data directory (<c>PGDATA</c>).</summary>
    public string DataDirectory => _cluster.DataDirectory;

    /// <summary>The server log.</summary>
    public string LogFile => _cluster.LogFile;

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port => _cluster.Port;

    /// <summary>Initializes and starts a new cluster.</summary>
    /// <exception cref="InvalidOperationException">PostgreSQL is not installed or the cluster did not start; the message says why.</exception>
    public static async Task<PostgresCluster> StartAsync(CancellationToken cancellationToken) =>
        new(await ThrowawayCluster.StartAsync(PostgresBinaries.FindDirectory(), Superuser, UserVariable, cancellationToken));

    /// <summary>A connection string for <paramref name="database"/> as the cluster's superuser.</summary>
    public string ConnectionString(string database = "postgres", string? applicationName = null)
    {
        var builder = _cluster.ConnectionString(database);
        if (applicationName is not null)
        {
            builder.ApplicationName = applicationName;
        }

        return builder.ConnectionString;
    }

    /// <summary>Creates a new, empty database with a unique name and returns that name.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var name = "writ_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync($"CREATE DATABASE \"{name}\";", cancellationToken);
        return name;
    }

    /// <summary>Drops a database, ending every session still connected to it.</summary>
    public Task DropDatabaseAsync(string name, CancellationToken cancellationToken) =>
        ExecuteAsync($"DROP DATABASE IF EXISTS \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\" WITH (FORCE);", cancellationToken);

    /// <summary>Runs one statement on the <c>postgres</c> database over an unpooled connection.</summary>
    public Task ExecuteAsync(string sql, CancellationToken cancellationToken) => _cluster.ExecuteAsync("postgres", sql, cancellationToken);

    /// <summary>Stops the server (fast shutdown: sessions are ended, committed work is kept).</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _cluster.StopAsync(cancellationToken);

    /// <summary>Starts the stopped server again on the same port and data directory.</summary>
    public Task StartAgainAsync(CancellationToken cancellationToken) => _cluster.StartAgainAsync(cancellationToken);

    /// <summary>Stops the server at once and deletes its directory.</summary>
    public ValueTask DisposeAsync() => _cluster.DisposeAsync();
}
