using System.Buffers.Text;
using System.Text;
using Writ.Cli.Commands.Revoke;
using Writ.Cli.Tests.EndToEnd;

namespace Writ.Cli.Tests.Revocation;

// `writ revoke` through the real CLI process against a real `writ dev` on SQLite.
public sealed class RevokeCliTests : IAsyncLifetime
{
    private WritHost _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await WritHost.StartAsync(HostStorage.Sqlite);
        Assert.Equal(0, (await _server.CliAsync("owner", "add", "alice")).ExitCode);
        Assert.Equal(0, (await _server.CliAsync("agent", "register", "research", "--owner", "alice")).ExitCode);
        Assert.Equal(0, (await _server.CliAsync("agent", "register", "writer", "--owner", "alice")).ExitCode);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task RevokeAgent_PrintsWhatItEnded_AndSuspendsTheAgent()
    {
        var result = await _server.CliAsync("revoke", "agent", "research", "--cause", "prompt injection");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Revoked agent research", result.Output, StringComparison.Ordinal);
        Assert.Contains(result.Output.Split('\n'), l => l.Contains("agent", StringComparison.Ordinal) && l.Contains("spiffe://", StringComparison.Ordinal));
        var shown = await _server.CliAsync("agent", "show", "research", "--json");
        Assert.Equal("suspended", CliJson.Of(shown)["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task RevokeOwner_Json_ListsTheOwnerAndEveryAgent()
    {
        var result = await _server.CliAsync("revoke", "owner", "alice", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var ended = CliJson.Of(result)["ended"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>() + ":" + e["subject"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(3, ended.Count);
        Assert.Contains("owner:alice", ended);
        Assert.Equal(2, ended.Count(e => e.StartsWith("agent:spiffe://", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RevokeKey_RetiresTheSigningKey()
    {
        var keys = CliJson.Of(await _server.CliAsync("key", "list", "--json"))["items"]!.AsArray();
        var kid = keys.First(k => k!["signing"]!.GetValue<bool>())!["kid"]!.GetValue<string>();

        var result = await _server.CliAsync("revoke", "key", kid);

        Assert.True(result.ExitCode == 0, result.ToString());
        var after = CliJson.Of(await _server.CliAsync("key", "list", "--json"))["items"]!.AsArray();
        Assert.Equal("retired", after.First(k => k!["kid"]!.GetValue<string>() == kid)!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task RevokeUnknownAgent_FailsAndSaysWhich()
    {
        var result = await _server.CliAsync("revoke", "agent", "nobody");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("nobody", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokeTokenByJti_IsAnnounced()
    {
        var result = await _server.CliAsync("revoke", "token", "3f0c9a1e7b2d4c58", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("3f0c9a1e7b2d4c58", CliJson.Of(result)["ended"]![0]!["subject"]!.GetValue<string>());
    }

    [Fact]
    public void PastedToken_IsReducedToItsJti()
    {
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes("{\"jti\":\"abc123\",\"sub\":\"x\"}"));

        Assert.Equal("abc123", RevokeTokenCommand.JtiOf("eyJhbGciOiJFUzI1NiJ9." + payload + ".c2ln"));
        Assert.Equal("plain-jti", RevokeTokenCommand.JtiOf("plain-jti"));
    }

    [Fact]
    public void PastedTokenWithUnreadablePayload_IsAUsageError()
    {
        var error = Assert.Throws<CliException>(() => RevokeTokenCommand.JtiOf("a.!!!.c"));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
    }
}
