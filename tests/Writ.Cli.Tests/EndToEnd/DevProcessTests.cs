using System.Text.Json.Nodes;
using Writ.Cli.Tests.Support;
using Writ.Testing.Postgres;

namespace Writ.Cli.Tests.EndToEnd;

// `writ dev` as a user runs it: start, banner, admin token, stop. What depends on the store runs on each provider.
public abstract class DevProcessTests
{
    private protected abstract HostStorage Storage { get; }

    [Fact]
    public async Task Sigterm_StopsDevServerCleanly_WithExitCode0()
    {
        await using var server = await WritHost.StartAsync(Storage);

        var exitCode = await server.TerminateAsync();

        Assert.True(exitCode == 0, server.ToString());
        await Assert.ThrowsAsync<HttpRequestException>(async () =>
        {
            using var http = new HttpClient();
            await http.GetAsync(new Uri(server.Url, "/healthz"), TestContext.Current.CancellationToken);
        });
    }
}

// On SQLite, with the tests whose subject (banner, admin token file, ports, the CLI alone) does not depend on the store.
public sealed class SqliteDevProcessTests : DevProcessTests
{
    private protected override HostStorage Storage => HostStorage.Sqlite;

    [Fact]
    public async Task Dev_PrintsUrlsAndNextSteps()
    {
        await using var server = await WritHost.StartAsync(HostStorage.Sqlite);

        Assert.Contains(server.Server, server.Output, StringComparison.Ordinal);
        Assert.Contains(server.Server + "/.well-known/jwks.json", server.Output, StringComparison.Ordinal);
        Assert.Contains("writ owner add alice", server.Output, StringComparison.Ordinal);
        Assert.Contains("writ agent register research --owner alice", server.Output, StringComparison.Ordinal);
        Assert.Contains("writ join-token create research", server.Output, StringComparison.Ordinal);
        Assert.Contains("export WRIT_SERVER=" + server.Server, server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dev_FirstStartPrintsAdminToken_LaterStartsSayWhereItIs()
    {
        var workingDirectory = Directory.CreateTempSubdirectory("writ-e2e-restart-").FullName;
        try
        {
            string token;
            await using (var first = await WritHost.StartAsync(HostStorage.Sqlite, workingDirectory))
            {
                Assert.True(File.Exists(first.AdminTokenFile), first.ToString());
                token = (await File.ReadAllTextAsync(first.AdminTokenFile, TestContext.Current.CancellationToken)).Trim();
                Assert.NotEmpty(token);
                Assert.Contains(token, first.Output, StringComparison.Ordinal);
                if (!OperatingSystem.IsWindows())
                {
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(first.AdminTokenFile));
                }

                Assert.Equal(0, await first.TerminateAsync());
            }

            await using var second = await WritHost.StartAsync(HostStorage.Sqlite, workingDirectory);

            Assert.DoesNotContain(token, second.Output, StringComparison.Ordinal);
            Assert.Contains("stored in " + second.AdminTokenFile, second.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(workingDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task DevJson_PrintsStartInformation()
    {
        await using var server = await WritHost.StartAsync(HostStorage.Sqlite, null, "--json", "--trust-domain", "acme.test");

        // Standard output holds the JSON and nothing else (logs go to stderr), so a script can parse it whole.
        var start = JsonNode.Parse(server.Output);
        Assert.True(start is JsonObject, server.ToString());
        Assert.Equal(server.Server, (string?)start["issuer"]);
        Assert.Equal("acme.test", (string?)start["trustDomain"]);
        Assert.Equal(server.AdminTokenFile, (string?)start["adminTokenFile"]);
    }

    [Fact]
    public async Task DevOnBusyPort_ExitsWith1_AndSaysWhy()
    {
        await using var server = await WritHost.StartAsync(HostStorage.Sqlite);
        var data = Path.Combine(server.WorkingDirectory, "other");

        var result = await WritProcess.RunAsync(server.WorkingDirectory, null, "dev", "--urls", server.Server, "--data", data);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("--urls", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CliAgainstNothing_ExitsWith3()
    {
        using var cli = new InProcessCli();

        var result = await WritProcess.RunAsync(cli.WorkingDirectory, null, "owner", "list", "--server", $"http://127.0.0.1:{Ports.Free()}", "--token", "t");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("cannot reach Writ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownVerb_ExitsWith2()
    {
        using var cli = new InProcessCli();

        var result = await WritProcess.RunAsync(cli.WorkingDirectory, null, "agent", "delete", "research");

        Assert.True(result.ExitCode == 2, result.ToString());
    }
}

// On PostgreSQL: the process must also stop cleanly with its connection pool open.
public sealed class PostgresDevProcessTests(SharedPostgresCluster cluster) : DevProcessTests
{
    private protected override HostStorage Storage { get; } = HostStorage.Postgres(cluster);
}
