using Writ.Cli.Commands;
using Writ.Cli.Tests.Support;

namespace Writ.Cli.Tests;

public sealed class AdminConnectionTests
{
    [Fact]
    public void Defaults_ToLocalDevServer_AndDevTokenFile()
    {
        using var cli = new InProcessCli();
        WriteDevToken(cli, "from-file\n");

        var connection = AdminConnection.Resolve(null, null, cli.Context(new(), new()));

        Assert.Equal(new Uri("http://127.0.0.1:7600/"), connection.Server);
        Assert.Equal("from-file", connection.Token);
        Assert.Equal("./.writ/admin-token", connection.TokenSource);
    }

    [Fact]
    public void Environment_WinsOverDevTokenFile()
    {
        using var cli = new InProcessCli();
        cli.WithEnvironment("WRIT_TOKEN", "from-env").WithEnvironment("WRIT_SERVER", "https://writ.acme.test:7600");
        WriteDevToken(cli, "from-file");

        var connection = AdminConnection.Resolve(null, null, cli.Context(new(), new()));

        Assert.Equal("from-env", connection.Token);
        Assert.Equal(new Uri("https://writ.acme.test:7600/"), connection.Server);
    }

    [Fact]
    public void Flags_WinOverEnvironment()
    {
        using var cli = new InProcessCli();
        cli.WithEnvironment("WRIT_TOKEN", "from-env").WithEnvironment("WRIT_SERVER", "https://a.test");

        var connection = AdminConnection.Resolve("http://127.0.0.1:9000", "from-flag", cli.Context(new(), new()));

        Assert.Equal("from-flag", connection.Token);
        Assert.Equal("--token", connection.TokenSource);
        Assert.Equal(9000, connection.Server.Port);
    }

    [Fact]
    public void NoToken_IsAUsageErrorThatSaysHowToFixIt()
    {
        using var cli = new InProcessCli();

        var e = Assert.Throws<CliException>(() => AdminConnection.Resolve(null, null, cli.Context(new(), new())));

        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.Contains("--token", e.Message, StringComparison.Ordinal);
        Assert.Contains("WRIT_TOKEN", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:7600")]
    [InlineData("ftp://127.0.0.1")]
    [InlineData("http://127.0.0.1:7600/?x=1")]
    [InlineData("http://user:pass@127.0.0.1:7600")]
    [InlineData("not a url")]
    public void MalformedServer_IsAUsageError(string server)
    {
        using var cli = new InProcessCli();

        var e = Assert.Throws<CliException>(() => AdminConnection.Resolve(server, "t", cli.Context(new(), new())));

        Assert.Equal(ExitCodes.Usage, e.ExitCode);
    }

    [Theory]
    [InlineData("two words")]
    [InlineData("tab\there")]
    [InlineData("caf\u00e9")]
    public void TokenWithImpossibleCharacters_IsAUsageError(string token)
    {
        using var cli = new InProcessCli();

        var e = Assert.Throws<CliException>(() => AdminConnection.Resolve(null, token, cli.Context(new(), new())));

        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.DoesNotContain(token, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://10.0.0.5:7600", true)]
    [InlineData("http://writ.acme.test", true)]
    [InlineData("https://writ.acme.test", false)]
    [InlineData("http://127.0.0.1:7600", false)]
    [InlineData("http://localhost:7600", false)]
    public void ClearTextTokenBeyondLoopback_IsDetected(string server, bool clearText)
    {
        using var cli = new InProcessCli();

        Assert.Equal(clearText, AdminConnection.Resolve(server, "t", cli.Context(new(), new())).SendsTokenInClearText);
    }

    private static void WriteDevToken(InProcessCli cli, string token)
    {
        Directory.CreateDirectory(Path.Combine(cli.WorkingDirectory, ".writ"));
        File.WriteAllText(Path.Combine(cli.WorkingDirectory, ".writ", "admin-token"), token);
    }
}
