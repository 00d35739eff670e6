using Writ.Server.Configuration;

namespace Writ.Server.Hosting;

/// <summary>Wires revocation propagation: the revocation event stream (SSE) and the Shared Signals transmitter.</summary>
internal static class RevocationSetup
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
