using System.Net;
using Microsoft.Extensions.Configuration;
using Writ.Core.Configuration;
using Writ.Core.Connections;
using Writ.Gateway.Configuration;
using Writ.Gateway.Tests.Infrastructure;

namespace Writ.Gateway.Tests.Credentials;

/// <summary>
/// The gateway reads the connection key-encryption keys from the same configuration as <c>writ server</c>
/// (<c>Writ:Connections:Kek</c> / <c>KekFile</c>), so a brokered secret sealed under a configured KEK can be opened.
/// </summary>
public sealed class GatewayKekTests : IAsyncLifetime
{
    private const string Intent = """[{"type":"writ_task","purpose":"triage","tools":[{"tool":"github.search_issues","targets":["repo:acme/web"]}],"sensitivity":"internal","max_duration":"PT10M"}]""";

    private readonly string kek = KekRingLoader.Generate("kek-2026");
    private CredentialWorld world = null!;

    public async ValueTask InitializeAsync() => world = await CredentialWorld.StartAsync("--Writ:Connections:Kek=" + kek);

    public ValueTask DisposeAsync() => world.DisposeAsync();

    [Fact]
    public async Task SecretSealedUnderConfiguredKek_IsOpenedAndInjected()
    {
        using var gateway = await world.StartGatewayAsync(new Dictionary<string, string?> { ["Writ:Connections:Kek"] = kek });
        var token = await world.TaskTokenAsync("research", Intent);

        using var response = await CredentialWorld.CallAsync(gateway, "mcp/github", FakeUpstream.Call("search_issues", new { repository = "acme/web" }), token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(world.Upstream.Seen);
        Assert.Equal("Bearer " + CredentialWorld.UpstreamSecret, seen.Authorization);
    }

    [Fact]
    public async Task KekFile_IsReadLikeTheServer()
    {
        var file = Path.Combine(world.Data, "connections.kek");
        await File.WriteAllTextAsync(file, kek + "\n", TestContext.Current.CancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        using var gateway = await world.StartGatewayAsync(new Dictionary<string, string?> { ["Writ:Connections:KekFile"] = file });
        var token = await world.TaskTokenAsync("research", Intent);

        using var response = await CredentialWorld.CallAsync(gateway, "mcp/github", FakeUpstream.Call("search_issues", new { repository = "acme/web" }), token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Bearer " + CredentialWorld.UpstreamSecret, Assert.Single(world.Upstream.Seen).Authorization);
    }

    [Fact]
    public async Task GatewayWithoutTheKek_RefusesWith502AndCallsNoUpstream()
    {
        using var gateway = await world.StartGatewayAsync();
        var token = await world.TaskTokenAsync("research", Intent);

        using var response = await CredentialWorld.CallAsync(gateway, "mcp/github", FakeUpstream.Call("search_issues", new { repository = "acme/web" }), token);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("credential.unavailable", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Empty(world.Upstream.Seen);
    }

    [Fact]
    public void MalformedKek_StopsGatewayBeforeItListens()
    {
        var secretPart = kek[(kek.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var truncated = "kek-2026:" + secretPart[..20];

        var error = Assert.Throws<GatewayConfigException>(() => world.BuildGateway(new Dictionary<string, string?> { ["Writ:Connections:Kek"] = truncated }));

        Assert.Contains("kek-2026", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secretPart[..20], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BothKekAndKekFile_StopsGatewayBeforeItListens()
    {
        var error = Assert.Throws<GatewayConfigException>(() => world.BuildGateway(new Dictionary<string, string?>
        {
            ["Writ:Connections:Kek"] = kek,
            ["Writ:Connections:KekFile"] = Path.Combine(world.Data, "other.kek"),
        }));

        Assert.Contains("not both", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("WRIT_CONNECTIONS__KEK", "Kek")]
    [InlineData("WRIT_CONNECTIONS__KEK_FILE", "KekFile")]
    public void ServerEnvironmentSpelling_ReachesTheGatewaySection(string variable, string key)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [WritEnvironmentVariables.KeyFor(variable)] = "value" })
            .Build();

        Assert.Equal("value", configuration.GetSection("Writ:Connections")[key]);
    }
}
