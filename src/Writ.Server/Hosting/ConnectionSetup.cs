using Writ.Core.Audit;
using Writ.Core.Connections;
using Writ.Core.Keys;
using Writ.Core.Leases;
using Writ.Core.Revocation;
using Writ.Core.Storage;
using Writ.Server.Configuration;
using Writ.Server.Endpoints.Connections;
using Writ.Server.Endpoints.Leases;

namespace Writ.Server.Hosting;

/// <summary>Wires connections: upstream credential sources and their encrypted secrets, and the leases drawn from them.</summary>
internal static class ConnectionSetup
{
    public static void AddServices(IServiceCollection services, WritSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(sp =>
        {
            var section = sp.GetRequiredService<IConfiguration>().GetSection(WritSettings.Section).GetSection("Connections");
            return KekRingLoader.Load(section["Kek"], section["KekFile"], sp.GetRequiredService<RootKey>());
        });
        services.AddSingleton(sp => new ConnectionSecrets(sp.GetRequiredService<KekRing>()));
        services.AddSingleton<IPostgresRoleProvisioner, PostgresRoleProvisioner>();
        services.AddSingleton(new LeaseRevocationOptions());
        services.AddSingleton(sp => new LeaseRevoker(
            sp.GetRequiredService<IWritStore>(),
            sp.GetRequiredService<ConnectionSecrets>(),
            sp.GetRequiredService<IPostgresRoleProvisioner>(),
            sp.GetRequiredService<IAuditLog>(),
            sp.GetRequiredService<LeaseRevocationOptions>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<PostgresRoleLeases>();
        services.AddSingleton<AccessTokenExchange>();
        services.AddSingleton<BrokeredSecrets>();
        services.AddSingleton<TaskLeaseGate>();
        services.AddSingleton<LeaseReaping>();
        services.AddSingleton<ConnectionAdmin>();
        services.AddSingleton<IRevoker, LeaseKindRevoker>();
        services.AddSingleton<IRevoker, ConnectionKindRevoker>();
        services.AddSingleton<IRevocationCascade, LeaseCascade>();
        services.AddSingleton<LeaseReaperService>();
        services.AddHostedService(sp => sp.GetRequiredService<LeaseReaperService>());
    }

    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Malformed KEK configuration stops startup here instead of failing the first request.
        app.Services.GetRequiredService<KekRing>();
        ConnectionEndpoints.Map(app);
        LeaseEndpoints.Map(app);
        TaskLeaseEndpoints.Map(app);
    }
}
