using System.Text.Json.Nodes;
using Writ.Cli.Tests.Support;

namespace Writ.Cli.Tests.CommandTree;

// `writ gateway --check --json`: the verdict on a configuration file is the data, valid or not.
public sealed class GatewayCheckJsonTests
{
    private const string ValidConfig = """
        {
          "writ": { "issuer": "http://127.0.0.1:7600", "trustDomain": "writ.local", "tokenFile": "admin-token" },
          "audience": "http://127.0.0.1:7700",
          "urls": ["http://127.0.0.1:7700"],
          "storage": { "provider": "sqlite", "dataDirectory": ".writ" },
          "routes": [
            {
              "path": "/api/writ", "kind": "http", "url": "http://127.0.0.1:7600", "toolset": "writ",
              "operations": [ { "method": "GET", "path": "/healthz", "tool": "writ.health", "target": { "fixed": "api:writ" } } ]
            }
          ]
        }
        """;

    [Fact]
    public async Task ValidConfiguration_CheckJson_PrintsVerdictRoutesAndAudience()
    {
        using var cli = new InProcessCli();
        var file = Path.Combine(cli.WorkingDirectory, "gateway.json");
        await File.WriteAllTextAsync(file, ValidConfig, TestContext.Current.CancellationToken);

        // What the configuration names must exist: Writ's data directory and the token file.
        Directory.CreateDirectory(Path.Combine(cli.WorkingDirectory, ".writ"));
        await File.WriteAllTextAsync(Path.Combine(cli.WorkingDirectory, "admin-token"), "wat.not-a-real-token-but-present", TestContext.Current.CancellationToken);

        var result = await cli.RunAsync("gateway", "--config", file, "--check", "--json");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        var json = JsonNode.Parse(result.Output)!;
        Assert.True((bool)json["valid"]!);
        Assert.Equal("http://127.0.0.1:7700", (string?)json["audience"]);
        Assert.Equal("/api/writ", (string?)json["routes"]![0]);
    }

    [Fact]
    public async Task InvalidConfiguration_CheckJson_PrintsTheProblemAndExitsWithUsageError()
    {
        using var cli = new InProcessCli();
        var file = Path.Combine(cli.WorkingDirectory, "gateway.json");
        await File.WriteAllTextAsync(file, """{"routes": []}""", TestContext.Current.CancellationToken);

        var result = await cli.RunAsync("gateway", "--config", file, "--check", "--json");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        var json = JsonNode.Parse(result.Output)!;
        Assert.False((bool)json["valid"]!);
        Assert.Contains("audience", (string?)json["error"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidConfiguration_WithoutJson_SaysWhatToFixOnStandardError()
    {
        using var cli = new InProcessCli();
        var file = Path.Combine(cli.WorkingDirectory, "gateway.json");
        await File.WriteAllTextAsync(file, """{"routes": []}""", TestContext.Current.CancellationToken);

        var result = await cli.RunAsync("gateway", "--config", file, "--check");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Empty(result.Output);
        Assert.Contains("routes: at least one route is required", result.Error, StringComparison.Ordinal);
    }
}
