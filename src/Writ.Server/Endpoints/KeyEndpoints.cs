using Writ.Core.Keys;

namespace Writ.Server.Endpoints;

/// <summary>The published verification keys: JWKS and SPIFFE trust bundle.</summary>
internal static class KeyEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/.well-known/jwks.json", async (KeyRing keys, HttpResponse response, CancellationToken cancellationToken) =>
        {
            response.Headers.CacheControl = "public, max-age=60";
            return Results.Text(await keys.GetJwksJsonAsync(cancellationToken), "application/jwk-set+json");
        });
        app.MapGet("/.well-known/spiffe-bundle", async (KeyRing keys, HttpResponse response, CancellationToken cancellationToken) =>
        {
            response.Headers.CacheControl = "public, max-age=60";
            return Results.Text(await keys.GetTrustBundleJsonAsync(cancellationToken), "application/json");
        });
    }
}
