using System.Globalization;
using Writ.Core.Revocation;
using Writ.Core.Storage;
using Writ.Server.Configuration;
using Writ.Server.Endpoints.Admin;
using Writ.Server.Http;

namespace Writ.Server.Endpoints.Revocation;

/// <summary>
/// <c>POST /admin/v1/revocations</c> with <c>{"kind":"agent","id":"research","cause":"…"}</c> revokes one
/// thing and answers with every event it recorded (the thing, then what it cascaded to);
/// <c>GET /admin/v1/revocations?after=&amp;limit=</c> lists the event log.
/// </summary>
internal static class RevocationAdminEndpoints
{
    private const int MaxList = 1000;

    public static void Map(WebApplication app)
    {
        var group = app.MapGroup("/admin/v1/revocations").RequireAdminToken();
        group.MapPost(string.Empty, RevokeAsync);
        group.MapGet(string.Empty, ListAsync);
    }

    internal static object View(RevocationEvent revocation) => new
    {
        id = revocation.Id,
        kind = RevocationKindNames.Of(revocation.Kind),
        subject = revocation.Subject,
        at = revocation.At,
        expiresAt = revocation.ExpiresAt,
        cause = revocation.Cause,
    };

    private static async Task<IResult> RevokeAsync(HttpContext http, RevocationCoordinator coordinator, WritSettings settings)
    {
        var (body, error) = await JsonRequest.ReadAsync<RevocationBody>(http.Request, settings.MaxJsonBytes);
        if (error is not null)
        {
            return error;
        }

        if (!RevocationKindNames.TryParse(body!.Kind, out var kind))
        {
            return Problems.Invalid("invalid_kind", $"'kind' must be one of {string.Join(", ", coordinator.Kinds.Select(RevocationKindNames.Of))}");
        }

        if (string.IsNullOrEmpty(body.Id))
        {
            return Problems.Invalid("missing_id", "'id' names what to revoke: a jti, agent name or SPIFFE ID, owner name or key id");
        }

        var caller = http.Caller();
        var result = await coordinator.RevokeAsync(new RevocationRequest(kind, body.Id, caller.Name, caller.Owner, body.Cause ?? "revoked by an administrator"), http.RequestAborted);
        return result.Succeeded
            ? Results.Json(new { ended = result.Value!.Ended.Select(View).ToArray() }, JsonRequest.Options)
            : Problems.From(result.Error!);
    }

    private static async Task<IResult> ListAsync(HttpContext http, IWritStore store)
    {
        if (http.Caller().IsScoped)
        {
            return Problems.From(new Core.Admin.AdminError(Core.Admin.AdminErrorKind.Forbidden, "forbidden", "the revocation log names every owner's agents; use an unscoped admin token"));
        }

        var query = http.Request.Query;
        long after = 0;
        var limit = 100;
        if ((query["after"] is { Count: 1 } a && !long.TryParse(a[0], NumberStyles.None, CultureInfo.InvariantCulture, out after))
            || (query["limit"] is { Count: 1 } l && (!int.TryParse(l[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxList)))
        {
            return Problems.Invalid("invalid_query", $"'after' is an event id and 'limit' a number from 1 to {MaxList}");
        }

        var events = await store.RevocationEvents.ReadAfterAsync(after, limit, http.RequestAborted);
        return Results.Json(new { events = events.Select(View).ToArray() }, JsonRequest.Options);
    }

    private sealed record RevocationBody(string? Kind, string? Id, string? Cause);
}
