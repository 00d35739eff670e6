using Writ.Core.Admin;
using Writ.Core.Audit;
using Writ.Core.Leases;
using Writ.Server.Configuration;
using Writ.Core.Tasks;
using Writ.Server.Endpoints.Revocation;
using Writ.Server.Endpoints.Tasks;
using Writ.Server.Http;

namespace Writ.Server.Endpoints.Leases;

/// <summary>
/// The agent's side of dynamic database credentials: <c>POST /leases/v1/postgres-roles</c> with its task
/// token and <c>{"connection":"…","ttl":"PT10M"}</c> returns the role's connection string, once;
/// <c>POST /leases/v1/{id}/renew</c> (task token, optional <c>{"ttl":"PT10M"}</c>) extends a lease of the
/// caller's task within its limits. Both take the token as <see cref="PresentedTaskToken"/> reads it.
/// </summary>
internal static class TaskLeaseEndpoints
{
    private const string RenewPrefix = "/leases/v1/";
    private const string RolesPath = "/leases/v1/postgres-roles";

    public static void Map(WebApplication app)
    {
        // Brokered leases held in memory (in this process) are dropped by every revocation this process reads.
        app.Services.GetRequiredService<BrokeredSecrets>()
            .Following(app.Services.GetRequiredService<LeaseRevoker>())
            .Following(app.Services.GetRequiredService<Writ.Core.Revocation.RevocationFeed>());

        app.MapPost(RenewPrefix + "{id}/renew", RenewAsync);
        app.MapPost(RolesPath, async (HttpContext http, TaskLeaseGate gate, PostgresRoleLeases roles, WritSettings settings) =>
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

            var (authentication, refusal) = await PresentedTaskToken.AuthenticateAsync(http, RolesPath);
            if (refusal is not null)
            {
                return new TaskTokenChallengeResult(refusal);
            }

            var (request, error) = gate.Check(authentication!, body.Connection, ttl);
            if (error is not null)
            {
                return Refused(error, authentication!);
            }

            try
            {
                var (issued, issueError) = await roles.IssueAsync(request!, http.RequestAborted);
                if (issueError is not null)
                {
                    return Refused(issueError, authentication!);
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

    private static async Task<IResult> RenewAsync(string id, HttpContext http, WritSettings settings)
    {
        TimeSpan? ttl = null;
        if (http.Request.ContentLength is > 0 || http.Request.ContentType is not null)
        {
            var (body, bodyError) = await JsonRequest.ReadAsync<RenewBody>(http.Request, settings.MaxJsonBytes);
            if (bodyError is not null)
            {
                return bodyError;
            }

            if (body!.Ttl is not null)
            {
                if (!Durations.TryParse(body.Ttl, out var parsed))
                {
                    return Problems.Invalid("invalid_ttl", "'ttl' must be an ISO 8601 duration (PT10M) or whole seconds");
                }

                ttl = parsed;
            }
        }

        var (authentication, refusal) = await PresentedTaskToken.AuthenticateAsync(http, RenewPrefix + Uri.EscapeDataString(id) + "/renew");
        if (refusal is not null)
        {
            return new TaskTokenChallengeResult(refusal);
        }

        var renewal = ActivatorUtilities.GetServiceOrCreateInstance<TaskLeaseRenewal>(http.RequestServices);
        try
        {
            var (lease, error) = await renewal.RenewAsync(authentication!, id, ttl, http.RequestAborted);
            if (error is not null)
            {
                return error.Code switch
                {
                    "lease_not_found" => new ProblemResult(StatusCodes.Status404NotFound, error.Code, "Not found", error.Detail),
                    "lease_not_active" or "not_renewable" or "renewal_refused" => new ProblemResult(StatusCodes.Status409Conflict, error.Code, "Not renewable", error.Detail),
                    _ => Refused(error, authentication!),
                };
            }

            return Results.Json(new { leaseId = lease!.Id, kind = LeaseNames.Of(lease.Kind), expiresAt = lease.ExpiresAt, notAfter = lease.NotAfter, renewedAt = lease.RenewedAt }, JsonRequest.Options);
        }
        catch (AuditUnavailableException)
        {
            return new ProblemResult(StatusCodes.Status503ServiceUnavailable, "unavailable", "Audit log unavailable", "the audit log is unavailable; try again later");
        }
    }

    // An accepted token refused later (its task has ended) is challenged under the scheme it was presented with.
    private static IResult Refused(LeaseError error, TaskTokenAuthentication authentication) => error.Code switch
    {
        "invalid_token" => new TaskTokenChallengeResult(new TaskTokenRefusal(error.Code, error.Detail, authentication.Claims?.Jkt is not null)),
        "insufficient_scope" => new ProblemResult(StatusCodes.Status403Forbidden, error.Code, "Not declared by the task", error.Detail),
        "connection_not_found" => new ProblemResult(StatusCodes.Status404NotFound, error.Code, "Not found", error.Detail),
        _ when error.Unavailable => new ProblemResult(StatusCodes.Status503ServiceUnavailable, error.Code, "Upstream unavailable", error.Detail),
        _ => new ProblemResult(StatusCodes.Status400BadRequest, error.Code, "Invalid request", error.Detail),
    };

    private sealed record RoleRequestBody(string? Connection, string? Ttl);

    private sealed record RenewBody(string? Ttl);
}
