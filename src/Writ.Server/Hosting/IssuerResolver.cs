using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Writ.Core.Identity;
using Writ.Server.Configuration;

namespace Writ.Server.Hosting;

/// <summary>
/// The issuer (<c>iss</c>) and endpoint URLs. Configured, or else the first URL Kestrel actually bound,
/// so <c>http://127.0.0.1:0</c> resolves to the real port; resolved on first use, which is after start.
/// </summary>
internal sealed class IssuerResolver(WritSettings settings, IServer server) : ITokenServiceEndpoints
{
    private string? issuer;

    public string Issuer => issuer ??= Resolve();

    public string TokenEndpoint => Issuer + "/oauth2/token";

    public string IntrospectionEndpoint => Issuer + "/oauth2/introspect";

    public string RevocationEndpoint => Issuer + "/oauth2/revoke";

    public string JwksUri => Issuer + "/.well-known/jwks.json";

    public string BundleUri => Issuer + "/.well-known/spiffe-bundle";

    public IReadOnlyList<string> BoundAddresses()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
        return addresses is { Count: > 0 } ? [.. addresses] : settings.Urls;
    }

    private string Resolve()
    {
        if (settings.ConfiguredIssuer is { } configured)
        {
            return configured;
        }

        var first = settings.Urls[0];
        if (Uri.TryCreate(first, UriKind.Absolute, out var uri) && uri.Port == 0)
        {
            var bound = BoundAddresses().FirstOrDefault(a => a.StartsWith(uri.Scheme + "://", StringComparison.OrdinalIgnoreCase));
            if (bound is not null && !bound.EndsWith(":0", StringComparison.Ordinal))
            {
                first = bound;
            }
        }

        return WritSettings.ValidateIssuer(first);
    }
}
