using System.Globalization;
using Writ.Core.Tasks;
using Writ.Server.Endpoints.Admin;
using Writ.Server.Endpoints.Revocation;
using Writ.Server.Http;
using Writ.Server.Telemetry;

namespace Writ.Server.Endpoints.Tasks;

/// <summary>
/// Task lifecycle over HTTP: the agent completes or cancels its task with its task token
/// (<c>POST /tasks/v1/complete</c>, <c>POST /tasks/v1/cancel</c>); admins list, show and cancel tasks under <c>/admin/v1/tasks</c>.
/// </summary>
internal static class TaskEndpoints
{
    public const string CompletePath = "/tasks/v1/complete";
    public const string CancelPath = "/tasks/v1/cancel";

    public static void Map(WebApplication app)
    {
        app.MapPost(CompletePath, Complete);
        app.MapPost(CancelPath, Cancel);

        var admin = app.MapGroup("/admin/v1/tasks").RequireAdminToken();
        admin.MapGet("/", List);
        admin.MapGet("/{id}", async (string id, HttpContext http, TaskLifecycle tasks) =>
        {
            var result = await tasks.GetAsync(http.Caller(), id, http.RequestAborted);
            return result.Succeeded ? Results.Json(TaskViews.Task(result.Value!), JsonRequest.Options) : Problems.From(result.Error!);
        });
        admin.MapPost("/{id}/cancel", async (string id, HttpContext http, TaskLifecycle tasks) =>
        {
            var result = await tasks.CancelAsync(http.Caller(), id, http.RequestAborted);
            WritTelemetry.AdminChanges.Add(1, new KeyValuePair<string, object?>("resource", "task"), new KeyValuePair<string, object?>("outcome", result.Error?.Code ?? "ok"));
            return result.Succeeded ? Results.Json(TaskViews.Task(result.Value!), JsonRequest.Options) : Problems.From(result.Error!);
        });
    }

    private static Task<IResult> Complete(HttpContext http, TaskLifecycle tasks) =>
        EndAsync(http, CompletePath, authenticated => tasks.CompleteAsync(authenticated, http.RequestAborted));

    private static Task<IResult> Cancel(HttpContext http, TaskLifecycle tasks) =>
        EndAsync(http, CancelPath, authenticated => tasks.CancelOwnAsync(authenticated, http.RequestAborted));

    // The token is checked as every agent endpoint checks it, so a DPoP-bound token sent as Bearer is refused (RFC 9449 §7.2).
    private static async Task<IResult> EndAsync(HttpContext http, string path, Func<TaskTokenAuthentication, Task<TaskEndResult>> end)
    {
        var (authenticated, refusal) = await PresentedTaskToken.AuthenticateAsync(http, path);
        if (refusal is not null)
        {
            return new TaskTokenChallengeResult(refusal);
        }

        var result = await end(authenticated!);
        if (result.Error == "invalid_token")
        {
            return new TaskTokenChallengeResult(new TaskTokenRefusal(result.Error, result.Description!, authenticated!.Claims?.Jkt is not null));
        }

        if (result.Error is not null)
        {
            return new ProblemResult(StatusCodes.Status409Conflict, result.Error, "Task not active", result.Description!);
        }

        return Results.Json(TaskViews.Task(result.Task!), JsonRequest.Options);
    }

    private static async Task<IResult> List(HttpContext http, TaskLifecycle tasks)
    {
        var query = http.Request.Query;
        foreach (var key in query.Keys)
        {
            if (key is not ("owner" or "agent" or "state" or "limit") || query[key].Count != 1)
            {
                return Problems.Invalid("invalid_query", "filter with at most one each of owner, agent, state (active, completed, cancelled, expired, revoked) and limit");
            }
        }

        TaskState? state = null;
        if (query.TryGetValue("state", out var stateText))
        {
            if (!TaskStateNames.TryParse(stateText[0], out var parsed))
            {
                return Problems.Invalid("invalid_state", "'state' must be one of active, completed, cancelled, expired, revoked");
            }

            state = parsed;
        }

        var limit = 100;
        if (query.TryGetValue("limit", out var limitText) && !int.TryParse(limitText[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit))
        {
            return Problems.Invalid("invalid_limit", "'limit' must be a whole number from 1 to 1000");
        }

        var result = await tasks.ListAsync(http.Caller(), new TaskQuery(Get(query, "owner"), Get(query, "agent"), state, limit), http.RequestAborted);
        return result.Succeeded
            ? Results.Json(new { items = result.Value!.Select(TaskViews.Task).ToArray() }, JsonRequest.Options)
            : Problems.From(result.Error!);
    }

    private static string? Get(IQueryCollection query, string key) => query.TryGetValue(key, out var value) ? value[0] : null;
}
