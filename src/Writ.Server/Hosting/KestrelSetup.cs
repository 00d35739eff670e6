using System.Security.Cryptography.X509Certificates;
using Writ.Server.Configuration;

namespace Writ.Server.Hosting;

/// <summary>Kestrel limits and TLS from PEM files.</summary>
internal static class KestrelSetup
{
    /// <summary>Hard ceiling for any request body; endpoints enforce smaller limits of their own.</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static void Configure(WebApplicationBuilder builder, WritSettings settings)
    {
        builder.WebHost.UseUrls([.. settings.Urls]);
        X509Certificate2? certificate = null;
        if (settings.TlsCertificatePath is { } certPath && settings.TlsKeyPath is { } keyPath)
        {
            try
            {
                certificate = X509Certificate2.CreateFromPemFile(certPath, keyPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                throw new InvalidOperationException($"Cannot load the TLS certificate '{certPath}' with key '{keyPath}': {ex.Message}", ex);
            }
        }

        if (certificate is null && settings.Urls.Any(u => u.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException("An https URL needs a TLS certificate and key: pass --tls-cert and --tls-key (PEM).");
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
            if (certificate is not null)
            {
                kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
            }
        });
    }
}
