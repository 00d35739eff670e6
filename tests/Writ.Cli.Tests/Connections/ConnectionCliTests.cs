using System.Diagnostics;
using Writ.Cli.Tests.EndToEnd;
using Writ.Cli.Tests.Support;

namespace Writ.Cli.Tests.Connections;

// `writ connection` and `writ lease` through the real CLI process against a real `writ dev` on SQLite.
public sealed class ConnectionCliTests : IAsyncLifetime
{
    private const string Secret = "sk-cli-Q9fT2mLx7Vb4Nc8Rz1Wd";

    private WritHost _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await WritHost.StartAsync(HostStorage.Sqlite);
        Assert.Equal(0, (await _server.CliAsync("owner", "add", "alice")).ExitCode);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ConnectionAdd_FromStdin_ThenListShowRotateRemove_NeverPrintsTheSecret()
    {
        var added = await WithStdinAsync(Secret + "\n", "connection", "add", "weather-api", "--owner", "alice", "--kind", "static_secret", "--header-name", "Authorization", "--scheme", "Bearer", "--secret-stdin");
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Contains("weather-api", added.Output, StringComparison.Ordinal);

        var table = await _server.CliAsync("connection", "list");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains(table.Output.Split('\n'), l => l.Contains("weather-api", StringComparison.Ordinal) && l.Contains("static_secret", StringComparison.Ordinal));

        var json = CliJson.Of(await _server.CliAsync("connection", "list", "--json"));
        Assert.Contains("weather-api", CliJson.Names(json));

        var shown = await _server.CliAsync("connection", "show", "weather-api");
        Assert.Contains("set (encrypted)", shown.Output, StringComparison.Ordinal);

        var resealed = await _server.CliAsync("connection", "rotate-secret", "weather-api");
        Assert.True(resealed.ExitCode == 0, resealed.ToString());
        Assert.Contains("re-encrypted", resealed.Output, StringComparison.Ordinal);

        var replaced = await WithStdinAsync("sk-cli-second\n", "connection", "rotate-secret", "weather-api", "--secret-stdin");
        Assert.True(replaced.ExitCode == 0, replaced.ToString());
        Assert.Contains("replaced", replaced.Output, StringComparison.Ordinal);

        var removed = await _server.CliAsync("connection", "remove", "weather-api");
        Assert.True(removed.ExitCode == 0, removed.ToString());

        foreach (var text in new[] { added.Output, added.Error, table.Output, shown.Output, resealed.Output, removed.Output, _server.Output, _server.Error })
        {
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ConnectionAdd_FromFile_KeepsThePostgresGrantTemplate()
    {
        var file = Path.Combine(_server.WorkingDirectory, "admin.pw");
        await File.WriteAllTextAsync(file, Secret + "\n", TestContext.Current.CancellationToken);

        var added = await _server.CliAsync(
            "connection", "add", "orders-db", "--owner", "alice", "--kind", "postgres_admin", "--host", "db.internal", "--database", "orders",
            "--admin-user", "writ_admin", "--grant", "public:orders,customers:select", "--grant", "audit:*:SELECT,INSERT", "--max-lease-duration", "PT30M", "--secret-file", file, "--json");

        Assert.True(added.ExitCode == 0, added.ToString());
        var json = CliJson.Of(added);
        Assert.Equal("postgres_admin", json["kind"]!.GetValue<string>());
        Assert.Equal("SELECT", json["grants"]![0]!["privileges"]![0]!.GetValue<string>());
        Assert.Equal("*", json["grants"]![1]!["tables"]![0]!.GetValue<string>());
        Assert.DoesNotContain(Secret, added.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionAddWithoutSecret_ExitsWithUsage_AndSaysHowToPassIt()
    {
        var result = await _server.CliAsync("connection", "add", "x", "--owner", "alice", "--kind", "static_secret", "--header-name", "X-Api-Key");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--secret-stdin", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecretAsAnArgument_IsNotAccepted()
    {
        var result = await _server.CliAsync("connection", "add", "x", "--owner", "alice", "--kind", "static_secret", "--header-name", "X-Api-Key", "--secret", Secret);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Null(await ConnectionAsync("x"));
    }

    [Fact]
    public async Task BadGrantTemplate_Exits1_WithTheServersProblem()
    {
        var result = await WithStdinAsync(Secret, "connection", "add", "bad-db", "--owner", "alice", "--kind", "postgres_admin", "--host", "db", "--database", "orders", "--admin-user", "admin", "--grant", "public:orders;drop table x:SELECT", "--secret-stdin");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("grants", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LeaseListStuck_SaysWhenNothingIsStuck()
    {
        var result = await _server.CliAsync("lease", "list", "--stuck");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("No stuck leases", result.Output, StringComparison.Ordinal);
        Assert.Equal(1, (await _server.CliAsync("lease", "show", "lse_missing")).ExitCode);
    }

    [Fact]
    public async Task RevokeConnection_IsAnnounced_AndNamesTheConnection()
    {
        var added = await WithStdinAsync(Secret + "\n", "connection", "add", "weather-api", "--owner", "alice", "--kind", "static_secret", "--header-name", "Authorization", "--scheme", "Bearer", "--secret-stdin");
        Assert.True(added.ExitCode == 0, added.ToString());

        var revoked = await _server.CliAsync("revoke", "connection", "weather-api", "--cause", "key leaked", "--json");

        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        var ended = System.Text.Json.Nodes.JsonNode.Parse(revoked.Output)!["ended"]!.AsArray();
        Assert.Contains(ended, e => e!["kind"]!.GetValue<string>() == "connection" && e["subject"]!.GetValue<string>() == "weather-api");
        Assert.DoesNotContain(Secret, revoked.Output, StringComparison.Ordinal);
    }

    private async Task<string?> ConnectionAsync(string name)
    {
        var result = await _server.CliAsync("connection", "show", name, "--json");
        return result.ExitCode == 0 ? result.Output : null;
    }

    private async Task<CliResult> WithStdinAsync(string input, params string[] args)
    {
        var info = WritProcess.StartInfo(_server.WorkingDirectory, [.. args, "--server", _server.Server]);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start writ");
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
