using Microsoft.Extensions.Configuration;

namespace Writ.Cli.Hosting;

// The settings `writ server` takes, each from the first place that has it: flag, WRIT_* environment
// variable, the "Writ" section of ./appsettings.json, built-in default.
internal sealed record ServerSettings(
    IReadOnlyList<string> Urls,
    string DataDirectory,
    string TrustDomain,
    string? Issuer,
    string? TlsCertificatePath,
    string? TlsKeyPath)
{
    public sealed record Flags(string? Urls, string? Data, string? TrustDomain, string? Issuer, string? TlsCert, string? TlsKey);

    public static ServerSettings Resolve(Flags flags, CliContext context)
    {
        var file = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(context.WorkingDirectory, "appsettings.json"), optional: true, reloadOnChange: false)
            .Build()
            .GetSection("Writ");

        string? Pick(string? flag, string variable, string key) =>
            NonEmpty(flag) ?? NonEmpty(context.GetEnvironmentVariable(variable)) ?? NonEmpty(file[key]);

        var urls = ListenUrls.Parse(Pick(flags.Urls, "WRIT_URLS", "Urls") ?? DevCommand.DefaultUrl);
        var data = Path.GetFullPath(Pick(flags.Data, "WRIT_DATA", "Data") ?? "./.writ", context.WorkingDirectory);
        var trustDomain = CheckTrustDomain(Pick(flags.TrustDomain, "WRIT_TRUST_DOMAIN", "TrustDomain") ?? "writ.local");
        var issuer = CheckIssuer(Pick(flags.Issuer, "WRIT_ISSUER", "Issuer"));
        var cert = Pick(flags.TlsCert, "WRIT_TLS_CERT", "TlsCert");
        var key = Pick(flags.TlsKey, "WRIT_TLS_KEY", "TlsKey");
        if ((cert is null) != (key is null))
        {
            throw new CliException("TLS needs both a certificate and its key: give --tls-cert and --tls-key together.", ExitCodes.Usage);
        }

        cert = cert is null ? null : ExistingFile(cert, "--tls-cert", context);
        key = key is null ? null : ExistingFile(key, "--tls-key", context);
        if (cert is null && urls.Any(u => u.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
        {
            throw new CliException("an https:// address needs --tls-cert and --tls-key.", ExitCodes.Usage);
        }

        return new ServerSettings(urls, data, trustDomain, issuer, cert, key);
    }

    // A trust domain is a DNS-like name without scheme, path or port (SPIFFE ID spec: lowercase letters, digits, '.', '-', '_').
    public static string CheckTrustDomain(string text)
    {
        var domain = text.Trim();
        if (domain.StartsWith("spiffe://", StringComparison.Ordinal))
        {
            domain = domain["spiffe://".Length..];
        }

        if (domain.Length is 0 or > 255 || !domain.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-' or '_'))
        {
            throw new CliException($"--trust-domain '{text}' is not a trust domain; use lowercase letters, digits, '.', '-' and '_', e.g. acme.test.", ExitCodes.Usage);
        }

        return domain;
    }

    public static string? CheckIssuer(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(uri.Query)
            || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new CliException($"--issuer '{text}' is not an http(s) URL without query or fragment (RFC 8414).", ExitCodes.Usage);
        }

        return text;
    }

    private static string ExistingFile(string path, string option, CliContext context)
    {
        var full = Path.GetFullPath(path, context.WorkingDirectory);
        return File.Exists(full) ? full : throw new CliException($"{option} {path}: no such file.", ExitCodes.Error);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
