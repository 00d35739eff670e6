using Writ.Core.Policy;
using Writ.Server.Configuration;
using Writ.Server.Endpoints.AuthZen;
using Writ.Server.Endpoints.Policy;

namespace Writ.Server.Hosting;

/// <summary>Wires policy sets, named policy stores and the AuthZEN decision API.</summary>
internal static class PolicySetup
{
    public static void AddServices(IServiceCollection services, WritSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);

        services.AddSingleton<ActivePolicySet>();
        services.AddSingleton<IActivePolicySet>(sp => sp.GetRequiredService<ActivePolicySet>());
        services.AddSingleton<PolicySetAdmin>();
        services.AddSingleton<PolicySetRefresher>();
        services.AddSingleton<NamedStoreCache>();
        services.AddSingleton<NamedStoreAdmin>();
        services.AddSingleton<PolicyRefreshService>();
        services.AddHostedService(sp => sp.GetRequiredService<PolicyRefreshService>());
        services.AddSingleton<PdpClientAdmin>();
        AuthZenSetup.AddServices(services);
    }

    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        PolicySetEndpoints.Map(app);
        NamedStoreEndpoints.Map(app);
        AuthZenEndpoints.Map(app);
    }
}
