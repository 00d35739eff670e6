using Writ.Core.Connections;
using Writ.Core.Keys;
using Writ.Gateway.Configuration;

namespace Writ.Gateway.Hosting;

/// <summary>
/// The key-encryption keys that open brokered connection secrets, configured exactly as for <c>writ server</c>:
/// <c>Writ:Connections:Kek</c> or <c>Writ:Connections:KekFile</c> (appsettings.json, <c>WRIT_CONNECTIONS__KEK</c>,
/// <c>WRIT_CONNECTIONS__KEK_FILE</c>), with the KEK derived from the root key always in the ring.
/// </summary>
internal static class GatewayKeks
{
    public const string Section = "Writ:Connections";

    /// <summary>The ring; a malformed configuration stops the gateway before it listens.</summary>
    /// <exception cref="GatewayConfigException">The KEK configuration is malformed (the message quotes no key material).</exception>
    public static KekRing Load(IConfiguration configuration, RootKey rootKey)
    {
        var section = configuration.GetSection(Section);
        try
        {
            return KekRingLoader.Load(section["Kek"], section["KekFile"], rootKey);
        }
        catch (InvalidOperationException ex)
        {
            throw new GatewayConfigException("The connection key-encryption keys are misconfigured: " + ex.Message);
        }
    }
}
