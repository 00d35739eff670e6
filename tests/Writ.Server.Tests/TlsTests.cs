using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Writ.Server;

namespace Writ.Server.Tests;

public sealed class TlsTests
{
    [Fact]
    public async Task CertificateAndKeyPem_ServeHttps()
    {
        var data = Path.Combine(Path.GetTempPath(), "writ-tls-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certPath = Path.Combine(data, "tls.crt");
        var keyPath = Path.Combine(data, "tls.key");
        await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem(), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem(), TestContext.Current.CancellationToken);

        var app = WritApp.Build(new WritServerOptions
        {
            Urls = ["https://127.0.0.1:0"],
            DataDirectory = data,
            DevMode = true,
            TlsCertificatePath = certPath,
            TlsKeyPath = keyPath,
        });
        await using (app)
        {
            await app.StartAsync(TestContext.Current.CancellationToken);
            var info = WritApp.GetStartupInfo(app);
            using var handler = new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
            };
            using var client = new HttpClient(handler);

            using var response = await client.GetAsync(info.Issuer + "/.well-known/oauth-authorization-server", TestContext.Current.CancellationToken);

            Assert.StartsWith("https://127.0.0.1:", info.Issuer, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await app.StopAsync(TestContext.Current.CancellationToken);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(data, recursive: true);
    }
}
