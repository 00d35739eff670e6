using Writ.Server.Configuration;

namespace Writ.Server.Hosting;

/// <summary>Wires tasks: task tokens by token exchange, lifecycle, delegation and per-call decisions.</summary>
internal static class TaskSetup
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
