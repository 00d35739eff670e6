using Microsoft.IdentityModel.Tokens;
using Writ.Core.Audit;
using Writ.Core.Configuration;
using Writ.Core.Connections;
using Writ.Core.Identity;
using Writ.Core.Keys;
using Writ.Core.Leases;
using Writ.Core.Policy;
using Writ.Core.Revocation;
using Writ.Core.Storage;
using Writ.Core.Tasks;
using Writ.Gateway.Configuration;
using Writ.Gateway.Credentials;
using Writ.Gateway.Inbound;
using Writ.Gateway.Mcp;
using Writ.Storage.Postgres;
using Writ.Storage.Sqlite;

namespace Writ.Gateway.Hosting;

/// <summary>Builds the gateway's web application from validated settings.</summary>
internal static class GatewayApp
{
    /// <summary>
    /// Builds (does not start) the gateway. A missing SQLite database throws <see cref="GatewayStoreException"/> (so does
    /// starting on a store whose schema is not this binary's); a missing root key throws <see cref="RootKeyException"/>;
    /// malformed connection KEK configuration throws <see cref="GatewayConfigException"/>.
    /// </summary>
    public static WebApplication Build(GatewaySettings settings, GatewayHostOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        options ??= new GatewayHostOptions();
        var time = options.TimeProvider ?? TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls([.. settings.Urls]);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null;
            k.AddServerHeader = false;
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // Hosting creates an Activity for every request whenever this category can log at all, only to put its
        // ids in log scopes; the gateway logs no per-request lines, and with OpenTelemetry listening it still
        // gets its Activity. Without this, each call paid for an Activity nobody reads.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Logging.AddFilter("Yarp", LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(WritEnvironmentVariables.Read());
        if (options.Configuration is { } extra)
        {
            builder.Configuration.AddInMemoryCollection(extra);
        }

        StoreSchemaCheck.EnsureExists(settings.Storage);
        var rootKey = RootKeySource.Load(new RootKeyOptions { FilePath = settings.Storage.RootKeyFile, DataDirectory = settings.Storage.DataDirectory });
        var keks = GatewayKeks.Load(builder.Configuration, rootKey);
        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(time);
        services.AddSingleton(rootKey);
        services.AddSingleton<IWritStore>(_ => settings.Storage.Postgres
            ? new PostgresWritStore(settings.Storage.ConnectionString!, time)
            : SqliteWritStore.ForDataDirectory(settings.Storage.DataDirectory!));
        services.AddSingleton(sp => new AuditLogService(
            sp.GetRequiredService<IWritStore>().Audit, rootKey, settings.TrustDomain.Name + "/audit", options.Audit ?? new AuditOptions(), time));
        services.AddSingleton<IAuditLog>(sp => options.AuditOverride ?? sp.GetRequiredService<AuditLogService>());
        services.AddSingleton<ActivePolicySet>();
        services.AddSingleton<IActivePolicySet>(sp => sp.GetRequiredService<ActivePolicySet>());
        services.AddSingleton(sp => new PolicySetRefresher(sp.GetRequiredService<IWritStore>(), sp.GetRequiredService<ActivePolicySet>()));
        services.AddSingleton(new TaskOptions());
        services.AddSingleton(sp => new StatusCache(sp.GetRequiredService<IWritStore>(), sp.GetRequiredService<TaskOptions>(), time));
        services.AddSingleton<Mcp.ListingDecider>();
        services.AddSingleton(_ => new HttpClient { Timeout = TimeSpan.FromSeconds(30) });
        services.AddSingleton(sp => new ExternalJwksCache(sp.GetRequiredService<HttpClient>(), time));
        services.AddSingleton(sp =>
        {
            var jwks = sp.GetRequiredService<ExternalJwksCache>();
            var uri = settings.JwksUri.AbsoluteUri;
            return new TaskTokenValidator(settings.Issuer.AbsoluteUri.TrimEnd('/'), async (kid, ct) => (SecurityKey?)await jwks.FindAsync(uri, kid, ct), settings.TrustDomain, time);
        });
        services.AddSingleton(sp => new DpopProofValidator(sp.GetRequiredService<IWritStore>().ReplayCache, time, sp.GetRequiredService<TaskOptions>().ClockSkew));
        services.AddSingleton(sp => new RevocationSubscriber(
            new HttpClient { Timeout = Timeout.InfiniteTimeSpan },
            new RevocationSubscriberOptions { EventsUri = settings.RevocationsUri, Authorization = _ => ValueTask.FromResult(settings.RevocationsAuthorization) },
            time));
        services.AddSingleton<IRevocationCheck>(sp => new SubscriberRevocationCheck(sp.GetRequiredService<RevocationSubscriber>()));
        services.AddSingleton(_ => new VerifiedTokenCache(time));
        services.AddSingleton<InboundAuthenticator>();
        services.AddSingleton<ProtectedResource>();
        services.AddSingleton(keks);
        services.AddSingleton(sp => new ConnectionSecrets(sp.GetRequiredService<KekRing>()));
        services.AddSingleton(sp => new BrokeredSecrets(sp.GetRequiredService<IWritStore>(), sp.GetRequiredService<ConnectionSecrets>(), sp.GetRequiredService<IAuditLog>(), time));
        services.AddSingleton<UpstreamCredentials>();
        services.AddSingleton<Upstreams.StdioSessions>();
        services.AddSingleton(_ => new Sessions.SessionBindings(time));
        services.AddSingleton<Upstreams.StdioBridge>();
        services.AddHttpForwarder();
        services.AddSingleton(_ => new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            EnableMultipleHttp2Connections = true,
        }));
        services.AddSingleton(sp => options.DeciderOverride ?? ActivatorUtilities.CreateInstance<CallDecider>(sp));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<GatewayHandler>(sp, sp.GetRequiredService<CallDecider>()));
        services.AddHostedService<GatewayBackground>();

        var app = builder.Build();
        var handler = app.Services.GetRequiredService<GatewayHandler>();
        var metadata = app.Services.GetRequiredService<ProtectedResource>();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/.well-known/oauth-protected-resource", (HttpRequest request) => metadata.Metadata(request, string.Empty));
        foreach (var route in settings.Routes)
        {
            var current = route;
            app.MapGet("/.well-known/oauth-protected-resource" + route.Path, (HttpRequest request) => metadata.Metadata(request, current.Path));
            app.Map(route.Path, (HttpContext context) => handler.HandleAsync(context, current));
            app.Map(route.Path + "/{**rest}", (HttpContext context) => handler.HandleAsync(context, current));
        }

        return app;
    }
}

/// <summary>Test and embedding hooks; production uses the defaults.</summary>
internal sealed class GatewayHostOptions
{
    public TimeProvider? TimeProvider { get; init; }

    public AuditOptions? Audit { get; init; }

    /// <summary>Replaces the audit log (tests break it to prove the gateway fails closed).</summary>
    public IAuditLog? AuditOverride { get; init; }

    /// <summary>Replaces the decider (tests break it to prove the gateway fails closed).</summary>
    public CallDecider? DeciderOverride { get; init; }

    /// <summary>Configuration entries added last (over appsettings.json and <c>WRIT_*</c> variables), e.g. <c>Writ:Connections:Kek</c>.</summary>
    public IReadOnlyDictionary<string, string?>? Configuration { get; init; }
}

/// <summary>Starts the audit log, the policy refresh loop and the revocation subscriber; stops them in order.</summary>
internal sealed partial class GatewayBackground(IWritStore store, AuditLogService auditLog, PolicySetRefresher policies, RevocationSubscriber revocations, ILogger<GatewayBackground> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await StoreSchemaCheck.EnsureCurrentAsync(store, cancellationToken);
        await auditLog.EnsureStartedAsync(cancellationToken);
        await policies.RefreshAsync(cancellationToken);
        await revocations.StartAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    // The container disposes the revocation subscriber (which stops it) after the host stops.
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await auditLog.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Policy sets activated on the control plane reach this process within a second.
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (!stoppingToken.IsCancellationRequested && await timer.WaitForNextTickAsync(CancellationToken.None))
        {
            try
            {
                await policies.RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRefreshFailed(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing the active policy set failed; the previous set keeps deciding")]
    private partial void LogRefreshFailed(Exception exception);
}
