using Writ.Core.Audit;
using Writ.Core.Keys;
using Writ.Core.Revocation;
using Writ.Core.Storage;
using Writ.Server.Configuration;
using Writ.Server.Endpoints.Revocation;
using Writ.Server.Endpoints.SharedSignals;

namespace Writ.Server.Hosting;

/// <summary>Wires revocation propagation: the revocation event stream (SSE) and the Shared Signals transmitter.</summary>
internal static class RevocationSetup
{
    public static void AddServices(IServiceCollection services, WritSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(sp =>
        {
            var options = new RevocationStreamOptions { AllowLoopbackHttpPush = settings.DevMode };
            sp.GetRequiredService<IConfiguration>().GetSection(RevocationStreamOptions.Section).Bind(options);
            return options;
        });
        services.AddSingleton(sp => new RevocationOptions { MaxTokenLifetime = sp.GetRequiredService<KeyRingOptions>().MaxTokenLifetime });
        services.AddSingleton<RevocationNotifier>();
        services.AddSingleton(sp => new RevocationFeed(sp.GetRequiredService<IWritStore>().RevocationEvents, sp.GetRequiredService<RevocationNotifier>(), sp.GetRequiredService<KeyRing>()));
        services.AddHostedService<RevocationFeedService>();
        services.AddSingleton(sp =>
        {
            var store = sp.GetRequiredService<IWritStore>();
            var time = sp.GetRequiredService<TimeProvider>();
            var options = sp.GetRequiredService<RevocationOptions>();

            // Revokers and cascades for tasks, leases and connections are registered by their own setups; a
            // registered revoker replaces the built-in one of its kind.
            var registered = sp.GetServices<IRevoker>().ToList();
            var revokers = BuiltInRevokers.Create(store, sp.GetRequiredService<KeyRing>(), options)
                .Where(builtIn => registered.All(r => r.Kind != builtIn.Kind))
                .Concat(registered);
            return new RevocationCoordinator(
                store,
                sp.GetRequiredService<IAuditLog>(),
                revokers,
                sp.GetServices<IRevocationCascade>(),
                sp.GetRequiredService<RevocationNotifier>(),
                options,
                time);
        });

        services.AddSingleton(sp => new SecurityEventTokenWriter(sp.GetRequiredService<KeyRing>(), sp.GetRequiredService<IssuerResolver>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<SignalTransmitter>();
        services.AddHostedService(sp => sp.GetRequiredService<SignalTransmitter>());
        services.AddSingleton<SharedSignalsEndpoints.Dependencies>();
        services.AddHttpClient(SignalTransmitter.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
    }

    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        RevocationAdminEndpoints.Map(app);
        RevocationEventsEndpoint.Map(app);
        SharedSignalsEndpoints.Map(app);
    }
}
