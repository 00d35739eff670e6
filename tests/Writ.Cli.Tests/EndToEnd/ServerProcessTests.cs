using System.Security.Cryptography;

namespace Writ.Cli.Tests.EndToEnd;

// `writ server`, the production entry, configured through the environment as a service manager would.
public sealed class ServerProcessTests
{
    [Fact]
    public async Task Server_WithRootKeyAndAdminTokenFromEnvironment_ServesTheAdminApi_AndStopsOnSigterm()
    {
        var adminToken = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var environment = new Dictionary<string, string>
        {
            ["WRIT_ROOT_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["WRIT_ADMIN_TOKEN"] = adminToken,
        };
        await using var server = await WritHost.StartAsync("server", null, environment, "--trust-domain", "acme.test");

        Assert.Contains("Writ is listening on " + server.Server, server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(adminToken, server.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(server.AdminTokenFile));

        Assert.Equal(0, (await server.CliAsync("owner", "add", "olivia", "--token", adminToken)).ExitCode);
        var registered = await server.CliAsync("agent", "register", "prod-agent", "--owner", "olivia", "--token", adminToken);
        Assert.True(registered.ExitCode == 0, registered.ToString());
        Assert.Contains("spiffe://acme.test/agent/prod-agent", registered.Output, StringComparison.Ordinal);

        Assert.Equal(0, await server.TerminateAsync());
    }

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
