using System.Security.Cryptography;
using Writ.Testing.Postgres;

namespace Writ.Cli.Tests.EndToEnd;

// `writ server`, the production entry, configured through the environment as a service manager would, on each provider.
public abstract class ServerProcessTests
{
    private protected abstract HostStorage Storage { get; }

    [Fact]
    public async Task Server_WithRootKeyAndAdminTokenFromEnvironment_ServesTheAdminApi_AndStopsOnSigterm()
    {
        var adminToken = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var environment = new Dictionary<string, string>
        {
            ["WRIT_ROOT_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["WRIT_ADMIN_TOKEN"] = adminToken,
        };
        await using var server = await WritHost.StartAsync(Storage, "server", null, environment, "--trust-domain", "acme.test");

        Assert.Contains("Writ is listening on " + server.Server, server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(adminToken, server.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(server.AdminTokenFile));

        Assert.Equal(0, (await server.CliAsync("owner", "add", "olivia", "--token", adminToken)).ExitCode);
        var registered = await server.CliAsync("agent", "register", "prod-agent", "--owner", "olivia", "--token", adminToken);
        Assert.True(registered.ExitCode == 0, registered.ToString());
        Assert.Contains("spiffe://acme.test/agent/prod-agent", registered.Output, StringComparison.Ordinal);

        // The data went to the provider under test: a SQLite file exists only when SQLite is the store.
        Assert.Equal(server.ConnectionString is null, File.Exists(Path.Combine(server.DataDirectory, "writ.db")));

        Assert.Equal(0, await server.TerminateAsync());
    }
}

// On SQLite, with the start-up checks that do not depend on the store.
public sealed class SqliteServerProcessTests : ServerProcessTests
{
    private protected override HostStorage Storage => HostStorage.Sqlite;

    [Fact]
    public async Task ServerWithoutRootKey_RefusesToStart_WithExitCode1()
    {
        var directory = Directory.CreateTempSubdirectory("writ-e2e-noroot-").FullName;
        try
        {
            var result = await WritProcess.RunAsync(directory, null, "server", "--urls", "http://127.0.0.1:" + Support.Ports.Free(), "--data", Path.Combine(directory, "data"));

            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Contains("root key", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

public sealed class PostgresServerProcessTests(SharedPostgresCluster cluster) : ServerProcessTests
{
    private protected override HostStorage Storage { get; } = HostStorage.Postgres(cluster);

    [Fact]
    public async Task StorageFlags_KeepTheDataInPostgres_WhateverTheDataDirectory_AndAreNeverEchoed()
    {
        var (database, connectionString) = await cluster.CreateDatabaseAsync(TestContext.Current.CancellationToken);
        try
        {
            var adminToken = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            var environment = new Dictionary<string, string>
            {
                ["WRIT_ROOT_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                ["WRIT_ADMIN_TOKEN"] = adminToken,
            };
            string[] flags = ["--storage", "postgres", "--connection", connectionString];

            await using (var first = await WritHost.StartAsync(HostStorage.Sqlite, "server", null, environment, flags))
            {
                var added = await first.CliAsync("owner", "add", "postgres-owner", "--token", adminToken);
                Assert.True(added.ExitCode == 0, added.ToString());
                Assert.Equal(0, await first.TerminateAsync());
                Assert.DoesNotContain(connectionString, first.Output + first.Error, StringComparison.Ordinal);
                Assert.False(File.Exists(Path.Combine(first.DataDirectory, "writ.db")), first.ToString());
            }

            // A second process with another, empty data directory finds the owner: it lives in the database.
            await using var second = await WritHost.StartAsync(HostStorage.Sqlite, "server", null, environment, flags);
            var listed = await second.CliAsync("owner", "list", "--json", "--token", adminToken);
            Assert.Contains("postgres-owner", CliJson.Names(CliJson.Of(listed)));
        }
        finally
        {
            await cluster.DropDatabaseAsync(database, CancellationToken.None);
        }
    }
}
