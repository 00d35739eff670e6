using Writ.Server.Configuration;

namespace Writ.Server.Hosting;

/// <summary>Wires policy sets, named policy stores and the AuthZEN decision API.</summary>
internal static class PolicySetup
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
