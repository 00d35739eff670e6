using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Writ.Core.Admin;
using Writ.Core.Clients;
using Writ.Core.Storage;

namespace Writ.Server.Endpoints.AuthZen;

/// <summary>
/// Authenticates callers of the AuthZEN endpoints: <c>Authorization: Bearer &lt;unscoped admin token&gt;</c>, or
/// <c>Authorization: Basic</c> with the secret of a client that an admin marked as a PDP client. A successful result
/// is remembered for <see cref="CacheFor"/> (keyed by a hash of the header), so a revoked token or withdrawn PDP grant
/// stops working within that time; failures are never remembered.
/// </summary>
internal sealed class PdpAuthenticator(AdminAuthenticator admins, ClientAuthenticator clients, IWritStore store, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);
    private const int MaxCached = 1024;
    private const int MaxHeaderLength = 4096;

    private readonly ConcurrentDictionary<string, (PdpCaller Caller, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public async Task<(PdpCaller? Caller, int Status, string? Error)> AuthenticateAsync(string? header, PdpEndpoint endpoint, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(header) || header.Length > MaxHeaderLength)
        {
            return (null, StatusCodes.Status401Unauthorized, "authentication is required: an admin token (Bearer) or a PDP client's credentials (Basic)");
        }

        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(header)));
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(key, out var cached) && cached.Until > now)
        {
            return (cached.Caller, StatusCodes.Status200OK, null);
        }

        var (caller, status, error) = await AuthenticateUncachedAsync(header, endpoint, cancellationToken);
        if (caller is not null)
        {
            if (_cache.Count >= MaxCached)
            {
                _cache.Clear();
            }

            _cache[key] = (caller, now + CacheFor);
        }

        return (caller, status, error);
    }

    private async Task<(PdpCaller? Caller, int Status, string? Error)> AuthenticateUncachedAsync(string header, PdpEndpoint endpoint, CancellationToken cancellationToken)
    {
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var admin = await admins.AuthenticateAsync(header["Bearer ".Length..].Trim(), cancellationToken);
            if (admin is null)
            {
                return (null, StatusCodes.Status401Unauthorized, "the bearer token is not a valid admin token");
            }

            return admin.IsScoped
                ? (null, StatusCodes.Status403Forbidden, $"admin token '{admin.Name}' is scoped to an owner; the decision API needs an unscoped admin token or a PDP client")
                : (new PdpCaller(admin.Name, false), StatusCodes.Status200OK, null);
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var result = await clients.AuthenticateAsync(header, new Dictionary<string, string>(), endpoint.Url, cancellationToken);
            if (result.Client is null)
            {
                return (null, StatusCodes.Status401Unauthorized, "client authentication failed");
            }

            return await store.Policies.GetPdpClientAsync(result.Client.Name, cancellationToken) is null
                ? (null, StatusCodes.Status403Forbidden, $"client '{result.Client.Name}' is not allowed to call the decision API (an admin allows it with 'writ policy pdp-client add {result.Client.Name}')")
                : (new PdpCaller(result.Client.Name, true), StatusCodes.Status200OK, null);
        }

        return (null, StatusCodes.Status401Unauthorized, "use Authorization: Bearer <admin token> or Basic <PDP client credentials>");
    }
}
