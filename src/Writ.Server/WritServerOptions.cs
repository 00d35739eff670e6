namespace Writ.Server;

/// <summary>How a Writ control plane process is started (by `writ dev` or `writ server`).</summary>
public sealed class WritServerOptions
{
    /// <summary>URLs Kestrel listens on, e.g. <c>http://127.0.0.1:7600</c>.</summary>
    public IReadOnlyList<string> Urls { get; init; } = ["http://127.0.0.1:7600"];

    /// <summary>Data directory holding the SQLite file, the generated root key and admin token.</summary>
    public string DataDirectory { get; init; } = ".writ";

    /// <summary>Trust domain of the identities this deployment issues (no scheme), e.g. <c>writ.local</c>.</summary>
    public string TrustDomain { get; init; } = "writ.local";

    /// <summary>Issuer (<c>iss</c>); defaults to the first URL.</summary>
    public string? Issuer { get; init; }

    /// <summary>True for `writ dev`: generate the root key and admin token into the data directory.</summary>
    public bool DevMode { get; init; }

    /// <summary>TLS certificate (PEM) and key paths; plain HTTP when absent.</summary>
    public string? TlsCertificatePath { get; init; }

    /// <summary>TLS private key path (PEM).</summary>
    public string? TlsKeyPath { get; init; }

    /// <summary>Extra configuration arguments passed through to ASP.NET Core configuration.</summary>
    public IReadOnlyList<string> ConfigurationArgs { get; init; } = [];
}
