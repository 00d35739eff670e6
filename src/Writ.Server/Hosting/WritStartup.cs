using Writ.Core.Keys;
using Writ.Core.Storage;
using Writ.Server.Configuration;

namespace Writ.Server.Hosting;

/// <summary>
/// Runs before Kestrel accepts requests: applies schema migrations (refusing a newer schema), creates the
/// first signing key, and warns loudly when plain HTTP is served beyond loopback.
/// </summary>
internal sealed partial class WritStartup(IWritStore store, KeyRing keys, WritSettings settings, ILogger<WritStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.MigrateAsync(cancellationToken);
        await keys.InitializeAsync(cancellationToken);
        foreach (var url in settings.Urls.Where(ListenAddresses.IsPlainHttpBeyondLoopback))
        {
            LogPlainHttp(url);
        }

        if (settings.ConfiguredIssuer is null && WritSettings.IsWildcard(settings.Urls[0]))
        {
            LogWildcardIssuer(settings.Urls[0]);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Critical, Message = "SECURITY WARNING: serving plain HTTP on {Url}, beyond loopback. Admin tokens, join tokens and identity tokens cross the network in clear text. Use https with --tls-cert and --tls-key, or listen on 127.0.0.1 behind a TLS-terminating proxy.")]
    private partial void LogPlainHttp(string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No --issuer is set and {Url} listens on every interface, so the issuer (iss) is derived from a bound address that clients may not use. Set --issuer to the URL agents and relying parties reach Writ by.")]
    private partial void LogWildcardIssuer(string url);
}
