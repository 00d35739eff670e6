using Writ.Server.Configuration;

namespace Writ.Server.Hosting;

/// <summary>Wires connections: upstream credential sources and their encrypted secrets.</summary>
internal static class ConnectionSetup
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
