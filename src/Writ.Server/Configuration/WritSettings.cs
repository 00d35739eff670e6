using Writ.Core.Admin;
using Writ.Core.Domain;
using Writ.Storage.Postgres;

namespace Writ.Server.Configuration;

/// <summary>Settings of one control plane process, resolved from flags, configuration and defaults, validated once.</summary>
internal sealed class WritSettings
{
    public const string Section = "Writ";

    public static readonly TimeSpan MaxIdentityTokenLifetime = TimeSpan.FromHours(1);

    public required IReadOnlyList<string> Urls { get; init; }

    public required string DataDirectory { get; init; }

    public required TrustDomain TrustDomain { get; init; }

    public string? ConfiguredIssuer { get; init; }

    public bool DevMode { get; init; }

    public string? TlsCertificatePath { get; init; }

    public string? TlsKeyPath { get; init; }

    public TimeSpan IdentityTokenLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Bootstrap admin token from <c>WRIT_ADMIN_TOKEN</c>; generated into the data directory when absent.</summary>
    public string? BootstrapAdminToken { get; init; }

    public StorageProvider StorageProvider { get; init; } = StorageProvider.Sqlite;

    /// <summary>The PostgreSQL connection string; never logged or shown (it may hold a password).</summary>
    public string? StorageConnectionString { get; init; }

    public long MaxFormBytes { get; init; } = 16 * 1024;

    public long MaxJsonBytes { get; init; } = 64 * 1024;

    public static WritSettings Resolve(WritServerOptions options, IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var urls = options.UrlsSet ? options.Urls : SplitUrls(section["Urls"]) ?? options.Urls;
        if (urls.Count == 0)
        {
            throw new InvalidOperationException("No URL to listen on: pass --urls, e.g. http://127.0.0.1:7600.");
        }

        foreach (var url in urls)
        {
            if (!IsListenUrl(url))
            {
                throw new InvalidOperationException($"'{url}' is not an http or https URL to listen on (e.g. http://127.0.0.1:7600, https://0.0.0.0:443, http://*:7600).");
            }
        }

        var trustDomainText = options.TrustDomainSet ? options.TrustDomain : section["TrustDomain"] ?? options.TrustDomain;
        if (!TrustDomain.TryParse(trustDomainText, out var trustDomain, out var trustDomainError))
        {
            throw new InvalidOperationException($"Invalid trust domain: {trustDomainError} (give it without 'spiffe://', e.g. writ.local).");
        }

        var issuer = options.Issuer ?? section["Issuer"];
        if (issuer is not null)
        {
            issuer = ValidateIssuer(issuer);
        }

        var lifetime = options.IdentityTokenLifetime;
        var lifetimeText = section["IdentityTokenLifetime"];
        if (lifetime is null && lifetimeText is not null)
        {
            if (!Durations.TryParse(lifetimeText, out var parsed))
            {
                throw new InvalidOperationException($"Writ:IdentityTokenLifetime '{lifetimeText}' is not a duration (use PT5M or a number of seconds).");
            }

            lifetime = parsed;
        }

        lifetime ??= TimeSpan.FromMinutes(5);
        if (lifetime <= TimeSpan.Zero || lifetime > MaxIdentityTokenLifetime)
        {
            throw new InvalidOperationException("The identity token lifetime must be positive and at most 1 hour.");
        }

        var cert = options.TlsCertificatePath ?? section["TlsCertificate"];
        var key = options.TlsKeyPath ?? section["TlsKey"];
        if ((cert is null) != (key is null))
        {
            throw new InvalidOperationException("TLS needs both a certificate and a key (PEM files).");
        }

        var adminToken = section["AdminToken"];
        if (adminToken is not null && adminToken.Length < 32)
        {
            throw new InvalidOperationException("WRIT_ADMIN_TOKEN must be at least 32 characters of random text.");
        }

        var (storage, connectionString) = ResolveStorage(options, section.GetSection("Storage"));
        var data = options.DataDirectorySet ? options.DataDirectory : section["Data"] ?? options.DataDirectory;
        return new WritSettings
        {
            StorageProvider = storage,
            StorageConnectionString = connectionString,
            Urls = urls,
            DataDirectory = Path.GetFullPath(data),
            TrustDomain = trustDomain,
            ConfiguredIssuer = issuer,
            DevMode = options.DevMode,
            TlsCertificatePath = cert,
            TlsKeyPath = key,
            IdentityTokenLifetime = lifetime.Value,
            BootstrapAdminToken = string.IsNullOrEmpty(adminToken) ? null : adminToken,
        };
    }

    private static (StorageProvider Provider, string? ConnectionString) ResolveStorage(WritServerOptions options, IConfigurationSection section)
    {
        var name = options.StorageProvider ?? section["Provider"];
        var connectionString = options.StorageConnectionString ?? section["ConnectionString"];
        var provider = name?.Trim().ToUpperInvariant() switch
        {
            null or "" or "SQLITE" => StorageProvider.Sqlite,
            "POSTGRES" or "POSTGRESQL" => StorageProvider.Postgres,
            _ => throw new InvalidOperationException($"Unknown storage provider '{name}': use sqlite (the default) or postgres."),
        };

        if (provider == StorageProvider.Sqlite)
        {
            return string.IsNullOrWhiteSpace(connectionString)
                ? (provider, null)
                : throw new InvalidOperationException("A storage connection string is given but the storage provider is sqlite (its file lives in the data directory): add --storage postgres, or remove the connection string.");
        }

        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException("The postgres storage provider needs a connection string: --connection, Writ:Storage:ConnectionString or WRIT_STORAGE__CONNECTION_STRING (e.g. Host=db;Database=writ;Username=writ).");
        }

        if (!PostgresWritStore.IsValidConnectionString(connectionString, out var problem))
        {
            throw new InvalidOperationException($"Invalid storage connection string: {problem}.");
        }

        return (provider, connectionString);
    }

    /// <summary>Kestrel also accepts the wildcard hosts <c>*</c> and <c>+</c>, which <see cref="Uri"/> does not parse.</summary>
    internal static bool IsListenUrl(string url)
    {
        var wildcard = url.Replace("://*:", "://localhost:", StringComparison.Ordinal).Replace("://+:", "://localhost:", StringComparison.Ordinal);
        return Uri.TryCreate(wildcard, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.UserInfo);
    }

    /// <summary>True when <paramref name="url"/> listens on every interface, so it names no host clients could use.</summary>
    internal static bool IsWildcard(string url) =>
        url.Contains("://*", StringComparison.Ordinal) || url.Contains("://+", StringComparison.Ordinal)
        || url.Contains("://0.0.0.0", StringComparison.Ordinal) || url.Contains("://[::]", StringComparison.Ordinal);

    internal static string ValidateIssuer(string issuer)
    {
        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new InvalidOperationException($"Issuer '{issuer}' must be an absolute http(s) URL without query or fragment.");
        }

        // Kept exactly as given: relying parties compare iss byte for byte with what they were told.
        return issuer;
    }

    private static List<string>? SplitUrls(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : [.. text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
