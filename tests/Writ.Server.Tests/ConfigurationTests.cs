using Microsoft.Extensions.Configuration;
using Writ.Core.Configuration;
using Writ.Server.Configuration;
using Writ.Server.Hosting;

namespace Writ.Server.Tests;

public sealed class ConfigurationTests
{
    private static WritSettings Resolve(WritServerOptions options, params (string Key, string Value)[] configuration) =>
        WritSettings.Resolve(options, new ConfigurationBuilder().AddInMemoryCollection(configuration.Select(c => new KeyValuePair<string, string?>(c.Key, c.Value))).Build());

    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var settings = Resolve(new WritServerOptions());

        Assert.Equal(["http://127.0.0.1:7600"], settings.Urls);
        Assert.Equal("writ.local", settings.TrustDomain.Name);
        Assert.Equal(TimeSpan.FromMinutes(5), settings.IdentityTokenLifetime);
        Assert.Equal(Path.GetFullPath(".writ"), settings.DataDirectory);
    }

    [Fact]
    public void Configuration_FillsWhatFlagsLeaveUnset()
    {
        var settings = Resolve(new WritServerOptions(), ("Writ:TrustDomain", "acme.test"), ("Writ:Urls", "http://127.0.0.1:9000;http://127.0.0.1:9001"), ("Writ:IdentityTokenLifetime", "PT10M"));

        Assert.Equal("acme.test", settings.TrustDomain.Name);
        Assert.Equal(["http://127.0.0.1:9000", "http://127.0.0.1:9001"], settings.Urls);
        Assert.Equal(TimeSpan.FromMinutes(10), settings.IdentityTokenLifetime);
    }

    [Fact]
    public void Flags_WinOverConfiguration()
    {
        var settings = Resolve(new WritServerOptions { TrustDomain = "flag.test" }, ("Writ:TrustDomain", "config.test"));

        Assert.Equal("flag.test", settings.TrustDomain.Name);
    }

    [Fact]
    public void EnvironmentVariableNames_MapOntoTheWritSection()
    {
        Assert.Equal("Writ:TRUSTDOMAIN", WritEnvironmentVariables.KeyFor("WRIT_TRUST_DOMAIN"));
        Assert.Equal("Writ:ADMINTOKEN", WritEnvironmentVariables.KeyFor("WRIT_ADMIN_TOKEN"));
        Assert.Equal("Writ:TLS:KEY", WritEnvironmentVariables.KeyFor("WRIT_TLS__KEY"));
    }

    [Theory]
    [InlineData("spiffe://writ.local")]
    [InlineData("Writ.Local")]
    [InlineData("")]
    public void InvalidTrustDomain_StopsStartup(string trustDomain) =>
        Assert.Throws<InvalidOperationException>(() => Resolve(new WritServerOptions { TrustDomain = trustDomain }));

    [Theory]
    [InlineData("PT2H")]
    [InlineData("0")]
    public void IdentityTokenLifetimeOverOneHourOrZero_StopsStartup(string lifetime) =>
        Assert.Throws<InvalidOperationException>(() => Resolve(new WritServerOptions(), ("Writ:IdentityTokenLifetime", lifetime)));

    [Theory]
    [InlineData("not a url")]
    [InlineData("https://writ.example/?q=1")]
    [InlineData("ftp://writ.example")]
    public void InvalidIssuer_StopsStartup(string issuer) =>
        Assert.Throws<InvalidOperationException>(() => Resolve(new WritServerOptions { Issuer = issuer }));

    [Fact]
    public void Issuer_IsKeptExactlyAsConfigured() =>
        Assert.Equal("https://writ.example/", Resolve(new WritServerOptions { Issuer = "https://writ.example/" }).ConfiguredIssuer);

    [Fact]
    public void ShortAdminToken_StopsStartup() =>
        Assert.Throws<InvalidOperationException>(() => Resolve(new WritServerOptions(), ("Writ:AdminToken", "short")));

    [Fact]
    public void CertificateWithoutKey_StopsStartup() =>
        Assert.Throws<InvalidOperationException>(() => Resolve(new WritServerOptions { TlsCertificatePath = "cert.pem" }));

    [Fact]
    public void HttpsWithoutCertificate_StopsStartup() =>
        Assert.Throws<InvalidOperationException>(() => WritApp.Build(new WritServerOptions
        {
            Urls = ["https://127.0.0.1:0"],
            DataDirectory = Path.Combine(Path.GetTempPath(), "writ-cfg-" + Guid.NewGuid().ToString("N")),
            DevMode = true,
        }));

    [Theory]
    [InlineData("http://0.0.0.0:7600", true)]
    [InlineData("http://*:7600", true)]
    [InlineData("http://10.1.2.3:7600", true)]
    [InlineData("http://writ.example:7600", true)]
    [InlineData("http://127.0.0.1:7600", false)]
    [InlineData("http://localhost:7600", false)]
    [InlineData("http://[::1]:7600", false)]
    [InlineData("https://0.0.0.0:7600", false)]
    public void PlainHttpBeyondLoopback_IsDetected(string url, bool expected) =>
        Assert.Equal(expected, ListenAddresses.IsPlainHttpBeyondLoopback(url));

    [Theory]
    [InlineData("http://*:7600")]
    [InlineData("http://+:7600")]
    [InlineData("https://0.0.0.0:8443")]
    [InlineData("http://[::]:7600")]
    public void WildcardListenUrls_AreAccepted(string url) =>
        Assert.Equal([url], Resolve(new WritServerOptions { Urls = [url] }).Urls);

    [Theory]
    [InlineData("tcp://127.0.0.1:7600")]
    [InlineData("127.0.0.1:7600")]
    [InlineData("http://127.0.0.1:7600/?x=1")]
    public void InvalidListenUrl_StopsStartup(string url) =>
        Assert.Throws<InvalidOperationException>(() => Resolve(new WritServerOptions { Urls = [url] }));
}
