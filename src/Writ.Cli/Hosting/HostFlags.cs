using Writ.Server;

namespace Writ.Cli.Hosting;

// The flags `writ dev` and `writ server` share. Only flags actually given are set on the options, so
// the server's own configuration (appsettings.json, WRIT_* variables) decides the rest.
internal sealed record HostFlags(string? Urls, string? Data, string? TrustDomain, string? Issuer, string? TlsCert = null, string? TlsKey = null, string? Storage = null, string? Connection = null)
{
    public WritServerOptions ToOptions(CliContext context, bool devMode, bool json = false)
    {
        if ((TlsCert is null) != (TlsKey is null))
        {
            throw new CliException("TLS needs both a certificate and its key: give --tls-cert and --tls-key together.", ExitCodes.Usage);
        }

        if (Storage is not null && !IsKnownStorage(Storage))
        {
            throw new CliException($"Unknown --storage '{Storage}': use sqlite or postgres.", ExitCodes.Usage);
        }

        // The connection string may hold a password, so no message here quotes it.
        if (Connection is not null && string.IsNullOrWhiteSpace(Connection))
        {
            throw new CliException("--connection is empty: give a PostgreSQL connection string, e.g. \"Host=db;Database=writ;Username=writ\".", ExitCodes.Usage);
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
            StorageProvider = Storage?.Trim(),
            StorageConnectionString = Connection,
            DevMode = devMode,

            // With --json, standard output carries only the JSON start information; logs go to stderr.
            ConfigurationArgs = json ? ["--Logging:Console:LogToStandardErrorThreshold=Trace"] : [],
        };
    }

    private static bool IsKnownStorage(string storage) =>
        storage.Trim().ToUpperInvariant() is "SQLITE" or "POSTGRES" or "POSTGRESQL";
}
