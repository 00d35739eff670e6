using Writ.Cli.Hosting;
using Writ.Cli.Tests.Support;

namespace Writ.Cli.Tests;

public sealed class ServerSettingsTests
{
    private static readonly ServerSettings.Flags NoFlags = new(null, null, null, null, null, null);

    [Fact]
    public void Defaults_AreLoopbackAndDotWrit()
    {
        using var cli = new InProcessCli();

        var settings = ServerSettings.Resolve(NoFlags, cli.Context(new(), new()));

        Assert.Equal(["http://127.0.0.1:7600"], settings.Urls);
        Assert.Equal(Path.Combine(cli.WorkingDirectory, ".writ"), settings.DataDirectory);
        Assert.Equal("writ.local", settings.TrustDomain);
        Assert.Null(settings.Issuer);
    }

    [Fact]
    public void FlagsWinOverEnvironment_WhichWinsOverAppSettings()
    {
        using var cli = new InProcessCli();
        File.WriteAllText(Path.Combine(cli.WorkingDirectory, "appsettings.json"), """
            {"Writ":{"Urls":"http://127.0.0.1:7001","TrustDomain":"file.test","Issuer":"https://file.test","Data":"from-file"}}
            """);
        cli.WithEnvironment("WRIT_TRUST_DOMAIN", "env.test").WithEnvironment("WRIT_ISSUER", "https://env.test");

        var settings = ServerSettings.Resolve(NoFlags with { Issuer = "https://flag.test" }, cli.Context(new(), new()));

        Assert.Equal(["http://127.0.0.1:7001"], settings.Urls);
        Assert.Equal("env.test", settings.TrustDomain);
        Assert.Equal("https://flag.test", settings.Issuer);
        Assert.Equal(Path.Combine(cli.WorkingDirectory, "from-file"), settings.DataDirectory);
    }

    [Fact]
    public void SeveralUrls_AreSplitOnSemicolons()
    {
        using var cli = new InProcessCli();

        var settings = ServerSettings.Resolve(NoFlags with { Urls = "http://127.0.0.1:7600; http://[::1]:7600" }, cli.Context(new(), new()));

        Assert.Equal(["http://127.0.0.1:7600", "http://[::1]:7600"], settings.Urls);
    }

    [Fact]
    public void CertificateWithoutKey_IsAUsageError()
    {
        using var cli = new InProcessCli();

        Assert.Equal(ExitCodes.Usage, Assert.Throws<CliException>(() => ServerSettings.Resolve(NoFlags with { TlsCert = "tls.crt" }, cli.Context(new(), new()))).ExitCode);
    }

    [Fact]
    public void HttpsWithoutCertificate_IsAUsageError()
    {
        using var cli = new InProcessCli();

        Assert.Throws<CliException>(() => ServerSettings.Resolve(NoFlags with { Urls = "https://0.0.0.0:7600" }, cli.Context(new(), new())));
    }

    [Fact]
    public void MissingCertificateFile_IsAnError()
    {
        using var cli = new InProcessCli();

        var e = Assert.Throws<CliException>(() => ServerSettings.Resolve(NoFlags with { TlsCert = "missing.crt", TlsKey = "missing.key" }, cli.Context(new(), new())));
        Assert.Contains("missing.crt", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Acme.Test")]
    [InlineData("acme.test/agents")]
    [InlineData("acme.test:443")]
    [InlineData("")]
    public void MalformedTrustDomain_IsAUsageError(string domain) =>
        Assert.Throws<CliException>(() => ServerSettings.CheckTrustDomain(domain));

    [Fact]
    public void TrustDomainWithScheme_IsAcceptedWithoutIt() =>
        Assert.Equal("acme.test", ServerSettings.CheckTrustDomain("spiffe://acme.test"));

    [Theory]
    [InlineData("writ.acme.test")]
    [InlineData("https://writ.acme.test/?tenant=1")]
    [InlineData("https://writ.acme.test/#x")]
    public void MalformedIssuer_IsAUsageError(string issuer) =>
        Assert.Throws<CliException>(() => ServerSettings.CheckIssuer(issuer));

    [Theory]
    [InlineData("http://0.0.0.0:7600", true)]
    [InlineData("http://*:7600", true)]
    [InlineData("http://+:7600", true)]
    [InlineData("http://192.0.2.10:7600", true)]
    [InlineData("https://0.0.0.0:7600", false)]
    [InlineData("http://127.0.0.1:7600", false)]
    [InlineData("http://localhost:7600", false)]
    [InlineData("http://[::1]:7600", false)]
    public void PlainHttpBeyondLoopback_IsDetected(string url, bool warned) =>
        Assert.Equal(warned, ListenUrls.PlainHttpBeyondLoopback([url]).Any());

    [Theory]
    [InlineData("127.0.0.1:7600")]
    [InlineData("http://127.0.0.1:7600/writ")]
    [InlineData("tcp://127.0.0.1:7600")]
    [InlineData(";")]
    public void MalformedListenUrl_IsAUsageError(string urls) =>
        Assert.Equal(ExitCodes.Usage, Assert.Throws<CliException>(() => ListenUrls.Parse(urls)).ExitCode);
}
