using Writ.Server;

namespace Writ.Cli.Hosting;

// The flags `writ dev` and `writ server` share. Only flags actually given are set on the options, so
// the server's own configuration (appsettings.json, WRIT_* variables) decides the rest.
internal sealed record HostFlags(string? Urls, string? Data, string? TrustDomain, string? Issuer, string? TlsCert = null, string? TlsKey = null)
{
    public WritServerOptions ToOptions(CliContext context, bool devMode, bool json = false)
    {
        if ((TlsCert is null) != (TlsKey is null))
        {
            throw new CliException("TLS needs both a certificate and its key: give --tls-cert and --tls-key together.", ExitCodes.Usage);
        }

        // Relative paths are the user's, so they resolve against the user's working directory.
        // A null here leaves the value unset: WritServerOptions then falls back to configuration, then its default.
        return new WritServerOptions
        {
            Urls = Urls is null ? null! : ListenUrls.Parse(Urls),
            DataDirectory = Data is null ? null! : Path.GetFullPath(Data, context.WorkingDirectory),
            TrustDomain = TrustDomain!,
            Issuer = Issuer,
            TlsCertificatePath = TlsCert is null ? null : Path.GetFullPath(TlsCert, context.WorkingDirectory),
            TlsKeyPath = TlsKey is null ? null : Path.GetFullPath(TlsKey, context.WorkingDirectory),
            DevMode = devMode,

            // With --json, standard output carries only the JSON start information; logs go to stderr.
            ConfigurationArgs = json ? ["--Logging:Console:LogToStandardErrorThreshold=Trace"] : [],
        };
    }
}
