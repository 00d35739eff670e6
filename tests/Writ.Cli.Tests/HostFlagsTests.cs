using Writ.Cli.Hosting;
using Writ.Cli.Tests.Support;

namespace Writ.Cli.Tests;

public sealed class HostFlagsTests
{
    [Fact]
    public void FlagsNotGiven_AreLeftToServerConfiguration()
    {
        using var cli = new InProcessCli();

        var options = new HostFlags(null, null, null, null).ToOptions(cli.Context(new(), new()), devMode: false);

        Assert.False(options.DevMode);
        Assert.Null(options.Issuer);
        Assert.Null(options.TlsCertificatePath);

        // Unset values show the server's defaults, which its configuration may still override.
        Assert.Equal(["http://127.0.0.1:7600"], options.Urls);
        Assert.Equal("writ.local", options.TrustDomain);
    }

    [Fact]
    public void RelativePaths_ResolveAgainstTheUsersDirectory()
    {
        using var cli = new InProcessCli();

        var options = new HostFlags(null, "data", null, null, "tls/cert.pem", "tls/key.pem").ToOptions(cli.Context(new(), new()), devMode: true);

        Assert.Equal(Path.Combine(cli.WorkingDirectory, "data"), options.DataDirectory);
        Assert.Equal(Path.Combine(cli.WorkingDirectory, "tls", "cert.pem"), options.TlsCertificatePath);
        Assert.Equal(Path.Combine(cli.WorkingDirectory, "tls", "key.pem"), options.TlsKeyPath);
        Assert.True(options.DevMode);
    }

    [Fact]
    public void SeveralUrls_AreSplitOnSemicolons()
    {
        using var cli = new InProcessCli();

        var options = new HostFlags("http://127.0.0.1:7600; http://[::1]:7600", null, null, null).ToOptions(cli.Context(new(), new()), devMode: true);

        Assert.Equal(["http://127.0.0.1:7600", "http://[::1]:7600"], options.Urls);
    }

    [Fact]
    public void CertificateWithoutKey_IsAUsageError()
    {
        using var cli = new InProcessCli();

        var e = Assert.Throws<CliException>(() => new HostFlags(null, null, null, null, "tls.crt").ToOptions(cli.Context(new(), new()), devMode: false));

        Assert.Equal(ExitCodes.Usage, e.ExitCode);
    }

    [Theory]
    [InlineData("127.0.0.1:7600")]
    [InlineData("http://127.0.0.1:7600/writ")]
    [InlineData("tcp://127.0.0.1:7600")]
    [InlineData(";")]
    public void MalformedListenUrl_IsAUsageError(string urls) =>
        Assert.Equal(ExitCodes.Usage, Assert.Throws<CliException>(() => ListenUrls.Parse(urls)).ExitCode);

    [Fact]
    public async Task ServerWithBadTrustDomain_ExitsWith1_AndSaysWhatToFix()
    {
        using var cli = new InProcessCli();

        var result = await cli.RunAsync("server", "--urls", "http://127.0.0.1:" + Ports.Free(), "--data", "data", "--trust-domain", "Not A Domain");

        Assert.True(result.ExitCode == ExitCodes.Error, result.ToString());
        Assert.Contains("trust domain", result.Error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void StorageFlags_MapToTheServerOptions()
    {
        using var cli = new InProcessCli();

        var options = new HostFlags(null, null, null, null, Storage: "postgres", Connection: "Host=db;Database=writ;Username=writ")
            .ToOptions(cli.Context(new(), new()), devMode: false);

        Assert.Equal("postgres", options.StorageProvider);
        Assert.Equal("Host=db;Database=writ;Username=writ", options.StorageConnectionString);
    }

    [Fact]
    public void StorageFlagsNotGiven_AreLeftToServerConfiguration()
    {
        using var cli = new InProcessCli();

        var options = new HostFlags(null, null, null, null).ToOptions(cli.Context(new(), new()), devMode: true);

        Assert.Null(options.StorageProvider);
        Assert.Null(options.StorageConnectionString);
    }

    [Theory]
    [InlineData("mysql")]
    [InlineData("")]
    [InlineData("postgres;drop")]
    public void UnknownStorageProvider_IsAUsageError(string storage)
    {
        using var cli = new InProcessCli();

        var e = Assert.Throws<CliException>(() => new HostFlags(null, null, null, null, Storage: storage).ToOptions(cli.Context(new(), new()), devMode: false));

        Assert.Equal(ExitCodes.Usage, e.ExitCode);
    }

    [Fact]
    public void EmptyConnectionString_IsAUsageError()
    {
        using var cli = new InProcessCli();

        var e = Assert.Throws<CliException>(() => new HostFlags(null, null, null, null, Storage: "postgres", Connection: " ").ToOptions(cli.Context(new(), new()), devMode: false));

        Assert.Equal(ExitCodes.Usage, e.ExitCode);
    }

    [Theory]
    [InlineData("server")]
    [InlineData("dev")]
    public async Task MalformedConnectionString_StopsStartup_WithoutEchoingIt(string command)
    {
        using var cli = new InProcessCli();

        var result = await cli.RunAsync(command, "--urls", "http://127.0.0.1:" + Ports.Free(), "--data", "data",
            "--storage", "postgres", "--connection", "Host=127.0.0.1;Password=hunter2-in-flag;NoSuchKeyword=1");

        Assert.True(result.ExitCode == ExitCodes.Error, result.ToString());
        Assert.Contains("connection string", result.Error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("hunter2-in-flag", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-in-flag", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionStringWithSqlite_StopsStartup_WithoutEchoingIt()
    {
        using var cli = new InProcessCli();

        var result = await cli.RunAsync("server", "--urls", "http://127.0.0.1:" + Ports.Free(), "--data", "data",
            "--storage", "sqlite", "--connection", "Host=db;Password=hunter2-in-flag");

        Assert.True(result.ExitCode == ExitCodes.Error, result.ToString());
        Assert.Contains("--storage postgres", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-in-flag", result.Error + result.Output, StringComparison.Ordinal);
    }
}
