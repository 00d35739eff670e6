using Writ.Core.Admin;
using Writ.Core.Audit;
using Writ.Core.Leases;
using Writ.Server.Configuration;
using Writ.Server.Http;

namespace Writ.Server.Endpoints.Leases;

/// <summary>
/// The agent's side of dynamic database credentials: <c>POST /leases/v1/postgres-roles</c> with its task
/// token as bearer and <c>{"connection":"…","ttl":"PT10M"}</c> returns the role's connection string,
/// once; <c>POST /leases/v1/postgres-roles/{id}/renew</c> extends it within its limits.
/// </summary>
internal static class TaskLeaseEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/leases/v1/postgres-roles", async (HttpContext http, TaskLeaseGate gate, PostgresRoleLeases roles, WritSettings settings) =>
        {
            var (body, bodyError) = await JsonRequest.ReadAsync<RoleRequestBody>(http.Request, settings.MaxJsonBytes);
            if (bodyError is not null)
            {
                return bodyError;
            }

            TimeSpan? ttl = null;
            if (body!.Ttl is not null)
            {
                if (!Durations.TryParse(body.Ttl, out var parsed))
                {
                    return Problems.Invalid("invalid_ttl", "'ttl' must be an ISO 8601 duration (PT10M) or whole seconds");
                }

                ttl = parsed;
            }

            var (request, error) = await gate.CheckAsync(Bearer(http), body.Connection, ttl, http.RequestAborted);
            if (error is not null)
            {
                return Refused(error);
            }

            try
            {
                var (issued, issueError) = await roles.IssueAsync(request!, http.RequestAborted);
                if (issueError is not null)
                {
                    return Refused(issueError);
                }

                http.Response.Headers.CacheControl = "no-store";
                return Results.Json(
                    new { leaseId = issued!.Lease.Id, role = issued.Role, connectionString = issued.ConnectionString, expiresAt = issued.Lease.ExpiresAt, notAfter = issued.Lease.NotAfter },
                    JsonRequest.Options,
                    statusCode: StatusCodes.Status201Created);
            }
            catch (AuditUnavailableException)
            {
                return new ProblemResult(StatusCodes.Status503ServiceUnavailable, "unavailable", "Audit log unavailable", "the audit log is unavailable; try again later");
            }
        });
    }

    private static string? Bearer(HttpContext http)
    {
        var header = http.Request.Headers.Authorization;
        return header.Count == 1 && header[0] is { } value && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value["Bearer ".Length..].Trim() : null;
    }

    private static ProblemResult Refused(LeaseError error) => error.Code switch
    {
        "invalid_token" => new ProblemResult(StatusCodes.Status401Unauthorized, error.Code, "Task token required", error.Detail),
        "insufficient_scope" => new ProblemResult(StatusCodes.Status403Forbidden, error.Code, "Not declared by the task", error.Detail),
        "connection_not_found" => new ProblemResult(StatusCodes.Status404NotFound, error.Code, "Not found", error.Detail),
        _ when error.Unavailable => new ProblemResult(StatusCodes.Status503ServiceUnavailable, error.Code, "Upstream unavailable", error.Detail),
        _ => new ProblemResult(StatusCodes.Status400BadRequest, error.Code, "Invalid request", error.Detail),
    };

    private sealed record RoleRequestBody(string? Connection, string? Ttl);
}
