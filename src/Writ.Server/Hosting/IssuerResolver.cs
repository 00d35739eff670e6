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
    private string? baseUrl;

    public string Issuer => issuer ??= Resolve();

    /// <summary>The issuer without a trailing slash, for composing endpoint URLs.</summary>
    private string Base => baseUrl ??= Issuer.TrimEnd('/');

    public string TokenEndpoint => Base + "/oauth2/token";

    public string IntrospectionEndpoint => Base + "/oauth2/introspect";

    public string RevocationEndpoint => Base + "/oauth2/revoke";

    public string JwksUri => Base + "/.well-known/jwks.json";

    public string BundleUri => Base + "/.well-known/spiffe-bundle";

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

        // Port 0 and wildcard hosts only become real once Kestrel has bound them.
        var first = settings.Urls[0];
        if (first.EndsWith(":0", StringComparison.Ordinal) || first.Contains(":0/", StringComparison.Ordinal) || WritSettings.IsWildcard(first))
        {
            var scheme = first[..first.IndexOf("://", StringComparison.Ordinal)];
            var bound = BoundAddresses().FirstOrDefault(a => a.StartsWith(scheme + "://", StringComparison.OrdinalIgnoreCase) && !a.EndsWith(":0", StringComparison.Ordinal));
            if (bound is not null && !bound.Contains("://*", StringComparison.Ordinal) && !bound.Contains("://+", StringComparison.Ordinal))
            {
                first = bound;
            }
        }

        return WritSettings.ValidateIssuer(first);
    }
}
