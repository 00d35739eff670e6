using Writ.Server.Configuration;

namespace Writ.Server.Hosting;

/// <summary>Wires the audit log: the log service, its API and its events.</summary>
internal static class AuditSetup
{
    public static void AddServices(IServiceCollection services, WritSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
    }

    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
    }
}
