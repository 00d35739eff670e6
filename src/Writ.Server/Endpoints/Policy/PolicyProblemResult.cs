using System.Text.Json;
using Writ.Core.Policy;

namespace Writ.Server.Endpoints.Policy;

/// <summary>An RFC 9457 problem for refused policies, with an <c>errors</c> member listing every issue and where it is.</summary>
internal sealed class PolicyProblemResult(IReadOnlyList<PolicyIssue> errors, IReadOnlyList<PolicyIssue> warnings) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status400BadRequest;
        response.Headers.CacheControl = "no-store";
        response.ContentType = "application/problem+json";
        var payload = new Dictionary<string, object>
        {
            ["type"] = "urn:writ:problem:invalid_policies",
            ["title"] = "Invalid policies",
            ["status"] = StatusCodes.Status400BadRequest,
            ["detail"] = errors.Count == 1
                ? "the policies were refused: " + errors[0]
                : $"the policies were refused with {errors.Count} errors, listed in 'errors'; nothing was changed",
            ["code"] = "invalid_policies",
            ["errors"] = errors.Select(PolicyViews.Issue).ToArray(),
            ["warnings"] = warnings.Select(PolicyViews.Issue).ToArray(),
        };
        await JsonSerializer.SerializeAsync(response.Body, payload, (JsonSerializerOptions?)null, httpContext.RequestAborted);
    }
}
