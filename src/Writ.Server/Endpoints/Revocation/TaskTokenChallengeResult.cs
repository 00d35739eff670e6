using System.Text.Json;
using Writ.Core.Tasks;

namespace Writ.Server.Endpoints.Revocation;

/// <summary>
/// 401 for a refused task token: <c>WWW-Authenticate: Bearer</c> with the RFC 6750 §3 error, or <c>DPoP</c> with the
/// RFC 9449 §7.1 error and the accepted <c>algs</c> when the token is (or was presented as) DPoP-bound.
/// </summary>
internal sealed class TaskTokenChallengeResult(TaskTokenRefusal refusal) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers.CacheControl = "no-store";
        var parameters = $"error=\"{refusal.Error}\", error_description=\"{Quotable(refusal.Description)}\"";
        response.Headers.WWWAuthenticate = refusal.Dpop
            ? $"DPoP {parameters}, algs=\"{string.Join(' ', DpopProofValidator.SupportedAlgorithms)}\""
            : $"Bearer realm=\"writ\", {parameters}";
        response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(response.Body, new Dictionary<string, string> { ["error"] = refusal.Error, ["error_description"] = refusal.Description }, (JsonSerializerOptions?)null, httpContext.RequestAborted);
    }

    // RFC 6750 §3: error_description is printable ASCII without '"' and '\'.
    private static string Quotable(string text) =>
        string.Concat(text.Select(c => c is >= ' ' and <= '~' and not '"' and not '\\' ? c : '\''));
}
