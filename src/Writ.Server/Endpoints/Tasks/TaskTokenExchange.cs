using System.Diagnostics;
using Writ.Core.Audit;
using Writ.Core.Identity;
using Writ.Core.Keys;
using Writ.Core.Tasks;
using Writ.Server.Http;
using Writ.Server.Telemetry;

namespace Writ.Server.Endpoints.Tasks;

/// <summary>The token endpoint's task branch: task starts and delegations (RFC 8693 with RFC 9396 details).</summary>
internal static class TaskTokenExchange
{
    public static async Task<IResult> HandleAsync(HttpContext http, IReadOnlyDictionary<string, string> form, TaskService tasks)
    {
        var dpopHeaders = http.Request.Headers["DPoP"];
        if (dpopHeaders.Count > 1)
        {
            return new OAuthErrorResult("invalid_dpop_proof", "send at most one DPoP header");
        }

        var delegation = form.TryGetValue("subject_token_type", out var type) && type == TokenTypes.TaskToken;
        var kind = delegation ? "delegation" : "task";
        using var activity = WritTelemetry.Source.StartActivity(delegation ? "writ.task.delegate" : "writ.task.start");
        OAuthResult<IssuedTaskToken> result;
        try
        {
            result = await tasks.ExchangeAsync(form, dpopHeaders.Count == 1 ? dpopHeaders[0] : null, http.RequestAborted);
        }
        catch (KeyRingException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "no signing key");
            Count(kind, "temporarily_unavailable");
            return new OAuthErrorResult("temporarily_unavailable", "no signing key is available; try again later", StatusCodes.Status503ServiceUnavailable);
        }
        catch (AuditUnavailableException)
        {
            // Fail closed: a task token whose issuance cannot be recorded durably is not handed out.
            activity?.SetStatus(ActivityStatusCode.Error, "audit unavailable");
            Count(kind, "temporarily_unavailable");
            return new OAuthErrorResult("temporarily_unavailable", "the audit log is unavailable; try again later", StatusCodes.Status503ServiceUnavailable);
        }

        if (!result.Succeeded)
        {
            var error = result.Error!;
            activity?.SetTag("writ.outcome", error.Error);
            Count(kind, error.Error);
            return new OAuthErrorResult(error.Error, error.Description);
        }

        var issued = result.Value!;
        activity?.SetTag("writ.outcome", "issued");
        activity?.SetTag("writ.task", issued.Task.Id);
        activity?.SetTag("writ.agent", issued.Task.Agent);
        Count(kind, "issued");
        return new TaskTokenResponseResult(issued);
    }

    private static void Count(string grant, string outcome) =>
        WritTelemetry.TokenRequests.Add(1, new KeyValuePair<string, object?>("grant", grant), new KeyValuePair<string, object?>("outcome", outcome));
}
