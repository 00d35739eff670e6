using Writ.Core.Keys;
using Writ.Core.Storage;

namespace Writ.Server.Endpoints;

/// <summary>Liveness (the process answers) and readiness (the store answers and a key signs).</summary>
internal static class HealthEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", async (IWritStore store, KeyRing keys, CancellationToken cancellationToken) =>
        {
            var storeReady = false;
            var keyReady = false;
            try
            {
                storeReady = await store.PingAsync(cancellationToken);
                keyReady = storeReady && await keys.GetSigningCredentialsAsync(cancellationToken) is not null;
            }
            catch (Exception ex) when (ex is KeyRingException or InvalidOperationException or IOException or System.Data.Common.DbException)
            {
                // Not ready; the detail goes to the log through the store or key ring, not to the caller.
            }

            var ready = storeReady && keyReady;
            return Results.Json(
                new { status = ready ? "ready" : "not_ready", store = storeReady ? "ok" : "unavailable", signingKey = keyReady ? "ok" : "unavailable" },
                statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
    }
}
