using Writ.Cli.Tests.EndToEnd;
using Writ.Cli.Tests.Support;

namespace Writ.Cli.Tests.Connections;

// `writ connection add --kind oauth_client_credentials` with --audience and --scope, through the real CLI process
// against a real `writ dev`: what is given reaches the server, bad values stop before anything is sent.
public sealed class OAuthConnectionCliTests : IAsyncLifetime
{
    private const string Secret = "cs-cli-Hk3Pq8Zr5Vt1Lm6Nw";

    private WritHost _server = null!;
    private string _secretFile = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await WritHost.StartAsync(HostStorage.Sqlite);
        Assert.Equal(0, (await _server.CliAsync("owner", "add", "alice")).ExitCode);
        _secretFile = Path.Combine(_server.WorkingDirectory, "client.secret");
        await File.WriteAllTextAsync(_secretFile, Secret, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private Task<CliResult> AddOAuthAsync(string name, params string[] extra) =>
        _server.CliAsync(
            [
                "connection", "add", name, "--owner", "alice", "--kind", "oauth_client_credentials",
                "--token-endpoint", "https://login.example.com/oauth/token", "--client-id", "writ", "--secret-file", _secretFile, .. extra,
            ]);

    private async Task<bool> ExistsAsync(string name) => (await _server.CliAsync("connection", "show", name, "--json")).ExitCode == 0;

    [Fact]
    public async Task AudienceAndScopes_ReachTheServer_AndShowPrintsThem()
    {
        var added = await AddOAuthAsync("billing-api", "--audience", "https://billing.example.com", "--scope", "invoices:read invoices:write", "--scope", "customers:read", "--json");

        Assert.True(added.ExitCode == 0, added.ToString());
        var json = CliJson.Of(added);
        Assert.Equal("https://billing.example.com", json["audience"]!.GetValue<string>());
        Assert.Equal(["invoices:read", "invoices:write", "customers:read"], json["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));

        var shown = await _server.CliAsync("connection", "show", "billing-api");
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Contains(shown.Output.Split('\n'), l => l.Contains("Audience", StringComparison.Ordinal) && l.Contains("https://billing.example.com", StringComparison.Ordinal));
        Assert.Contains(shown.Output.Split('\n'), l => l.Contains("Scopes", StringComparison.Ordinal) && l.Contains("invoices:read invoices:write customers:read", StringComparison.Ordinal));
        Assert.DoesNotContain(Secret, added.Output + shown.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAudience_NoAudienceIsSent()
    {
        var added = await AddOAuthAsync("plain-api", "--scope", "read", "--json");

        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Null(CliJson.Of(added)["audience"]);
    }

    [Fact]
    public async Task AudienceWithASpace_ExitsWithUsage_AndNothingIsAdded()
    {
        var result = await AddOAuthAsync("bad-audience", "--audience", "https://a.example.com https://b.example.com");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--audience", result.Error, StringComparison.Ordinal);
        Assert.False(await ExistsAsync("bad-audience"));
    }

    [Fact]
    public async Task EmptyOrOverlongAudience_ExitsWithUsage()
    {
        var empty = await AddOAuthAsync("empty-audience", "--audience", string.Empty);
        var overlong = await AddOAuthAsync("long-audience", "--audience", "https://" + new string('a', 600) + ".example.com");

        Assert.True(empty.ExitCode == 2, empty.ToString());
        Assert.True(overlong.ExitCode == 2, overlong.ToString());
        Assert.False(await ExistsAsync("empty-audience"));
        Assert.False(await ExistsAsync("long-audience"));
    }

    [Fact]
    public async Task ScopeWithAQuoteOrBackslash_ExitsWithUsage_AndNothingIsAdded()
    {
        var quote = await AddOAuthAsync("quote-scope", "--scope", "read\"write");
        var backslash = await AddOAuthAsync("backslash-scope", "--scope", "read\\write");

        Assert.True(quote.ExitCode == 2, quote.ToString());
        Assert.Contains("--scope", quote.Error, StringComparison.Ordinal);
        Assert.True(backslash.ExitCode == 2, backslash.ToString());
        Assert.False(await ExistsAsync("quote-scope"));
        Assert.False(await ExistsAsync("backslash-scope"));
    }

    [Fact]
    public async Task MoreThan32Scopes_ExitsWithUsage()
    {
        var result = await AddOAuthAsync("many-scopes", "--scope", string.Join(' ', Enumerable.Range(1, 33).Select(i => "s" + i)));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("at most 32", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AudienceOrScopeOnAStaticSecretConnection_ExitsWithUsage_AndNamesTheKind()
    {
        var result = await _server.CliAsync(
            "connection", "add", "weather-api", "--owner", "alice", "--kind", "static_secret", "--header-name", "X-Api-Key",
            "--audience", "https://weather.example.com", "--scope", "read", "--secret-file", _secretFile);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--scope, --audience", result.Error, StringComparison.Ordinal);
        Assert.Contains("oauth_client_credentials", result.Error, StringComparison.Ordinal);
        Assert.False(await ExistsAsync("weather-api"));
    }

    [Fact]
    public async Task AddHelp_ShowsTheAudienceOption_AndAnExampleWithIt()
    {
        var help = await _server.CliAsync("connection", "add", "--help");

        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains("--audience <audience>", help.Output, StringComparison.Ordinal);
        Assert.Contains(help.Output.Split('\n'), l => l.Contains("writ connection add", StringComparison.Ordinal) && l.Contains("--audience https://", StringComparison.Ordinal));
    }
}
