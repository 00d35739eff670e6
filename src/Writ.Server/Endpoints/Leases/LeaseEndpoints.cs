using System.Globalization;
using Writ.Core.Leases;
using Writ.Core.Storage;
using Writ.Server.Endpoints.Admin;
using Writ.Server.Http;

namespace Writ.Server.Endpoints.Leases;

/// <summary>The leases admin API under <c>/admin/v1/leases</c>: list (stuck ones too), show, revoke; see docs/reference/leases.md.</summary>
internal static class LeaseEndpoints
{
    private const int MaxLimit = 1000;

    public static void Map(WebApplication app)
    {
        var group = app.MapGroup("/admin/v1/leases").RequireAdminToken();

        group.MapGet("/", async (HttpContext http, IWritStore store) =>
        {
            var query = http.Request.Query;
            if (query.Any(q => q.Value.Count > 1))
            {
                return Problems.Invalid("invalid_query", "give each query parameter at most once");
            }

            LeaseState? state = null;
            if (query["stuck"].Count == 1)
            {
                if (query["stuck"][0] != "true" || query["state"].Count == 1)
                {
                    return Problems.Invalid("invalid_stuck", "'stuck' takes the value true and replaces 'state'");
                }

                state = LeaseState.FailedRevocation;
            }
            else if (query["state"].Count == 1)
            {
                if (!LeaseNames.TryParse(query["state"][0], out LeaseState parsed))
                {
                    return Problems.Invalid("invalid_state", "'state' must be active, revoked, expired or failed_revocation");
                }

                state = parsed;
            }

            var limit = 100;
            if (query["limit"].Count == 1 && (!int.TryParse(query["limit"][0], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
            {
                return Problems.Invalid("invalid_limit", $"'limit' must be a whole number from 1 to {MaxLimit}");
            }

            var caller = http.Caller();
            var leases = await store.Leases.ListAsync(
                new LeaseQuery(state, NullIfEmpty(query["task"]), NullIfEmpty(query["connection"]), caller.Owner, limit),
                http.RequestAborted);
            return Results.Json(new { items = leases.Select(LeaseViews.Lease) }, JsonRequest.Options);
        });

        group.MapGet("/{id}", async (string id, HttpContext http, IWritStore store) =>
        {
            var lease = await store.Leases.GetAsync(id, http.RequestAborted);
            return lease is null || !http.Caller().MayManage(lease.Owner)
                ? Problems.From(new Core.Admin.AdminError(Core.Admin.AdminErrorKind.NotFound, "lease_not_found", $"lease '{id}' does not exist"))
                : Results.Json(LeaseViews.Lease(lease), JsonRequest.Options);
        });

        group.MapPost("/{id}/revoke", async (string id, HttpContext http, IWritStore store, LeaseRevoker revoker) =>
        {
            var caller = http.Caller();
            var lease = await store.Leases.GetAsync(id, http.RequestAborted);
            if (lease is null || !caller.MayManage(lease.Owner))
            {
                return Problems.From(new Core.Admin.AdminError(Core.Admin.AdminErrorKind.NotFound, "lease_not_found", $"lease '{id}' does not exist"));
            }

            if (lease.State is LeaseState.Revoked or LeaseState.Expired)
            {
                return Problems.From(new Core.Admin.AdminError(Core.Admin.AdminErrorKind.Conflict, "lease_ended", $"lease '{id}' has already ended ({LeaseNames.Of(lease.State)})"));
            }

            var ended = await revoker.RevokeAsync(lease, "revoked by " + caller.Name, http.RequestAborted);
            LeaseTelemetry.Ended.Add(1, new KeyValuePair<string, object?>("kind", LeaseNames.Of(ended.Kind)), new KeyValuePair<string, object?>("outcome", LeaseNames.Of(ended.State)));
            return Results.Json(LeaseViews.Lease(ended), JsonRequest.Options);
        });
    }

    private static string? NullIfEmpty(Microsoft.Extensions.Primitives.StringValues value) => value.Count == 1 && !string.IsNullOrEmpty(value[0]) ? value[0] : null;
}
