namespace Writ.Server;

/// <summary>
/// How a Writ control plane process is started (by <c>writ dev</c> or <c>writ server</c>).
/// Values set here are flags and win over <c>appsettings.json</c> and <c>WRIT_*</c> environment variables;
/// values left unset fall back to configuration, then to the defaults shown.
/// </summary>
public sealed class WritServerOptions
{
    private IReadOnlyList<string>? urls;
    private string? dataDirectory;
    private string? trustDomain;

    /// <summary>URLs Kestrel listens on, e.g. <c>http://127.0.0.1:7600</c>.</summary>
    public IReadOnlyList<string> Urls { get => urls ?? ["http://127.0.0.1:7600"]; init => urls = value; }

    /// <summary>Data directory holding the SQLite file, the generated root key and admin token.</summary>
    public string DataDirectory { get => dataDirectory ?? ".writ"; init => dataDirectory = value; }

    /// <summary>Trust domain of the identities this deployment issues (no scheme), e.g. <c>writ.local</c>.</summary>
    public string TrustDomain { get => trustDomain ?? "writ.local"; init => trustDomain = value; }

    /// <summary>Issuer (<c>iss</c>); defaults to the first URL.</summary>
    public string? Issuer { get; init; }

    /// <summary>True for <c>writ dev</c>: generate the root key and admin token into the data directory.</summary>
    public bool DevMode { get; init; }

    /// <summary>TLS certificate (PEM) and key paths; plain HTTP when absent.</summary>
    public string? TlsCertificatePath { get; init; }

    /// <summary>TLS private key path (PEM).</summary>
    public string? TlsKeyPath { get; init; }

    /// <summary>Lifetime of issued identity tokens; default 5 minutes, at most 1 hour.</summary>
    public TimeSpan? IdentityTokenLifetime { get; init; }

    /// <summary>Clock used for every time decision; the system clock when absent (tests pass a fake one).</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>Storage provider: <c>sqlite</c> (the default, a file in the data directory) or <c>postgres</c>.</summary>
    public string? StorageProvider { get; init; }

    /// <summary>Connection string of the <c>postgres</c> provider (Npgsql syntax, e.g. <c>Host=db;Database=writ;Username=writ</c>).</summary>
    public string? StorageConnectionString { get; init; }

    /// <summary>Extra configuration arguments passed through to ASP.NET Core configuration.</summary>
    public IReadOnlyList<string> ConfigurationArgs { get; init; } = [];

    internal bool UrlsSet => urls is not null;

    internal bool DataDirectorySet => dataDirectory is not null;

    internal bool TrustDomainSet => trustDomain is not null;
}
