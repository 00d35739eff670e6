using System.Text.Json;
using Writ.Core.Tasks;

namespace Writ.Server.Endpoints.Revocation;

/// <summary>
/// 401 for a refused task token: <c>WWW-Authenticate: Bearer</c> with the RFC 6750 §3 error, or <c>DPoP</c> with the
/// RFC 9449 §7.1 error and the accepted <c>algs</c> when the token is (or was presented as) DPoP-bound. A request
/// without credentials gets both challenges and no error code (RFC 6750 §3.1), since either scheme may fit its token.
/// </summary>
internal sealed class TaskTokenChallengeResult(TaskTokenRefusal refusal) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers.CacheControl = "no-store";
        var algs = $"algs=\"{string.Join(' ', DpopProofValidator.SupportedAlgorithms)}\"";
        var body = new Dictionary<string, string> { ["error_description"] = refusal.Description };
        if (refusal.NoCredentials)
        {
            response.Headers.Append("WWW-Authenticate", "Bearer realm=\"writ\"");
            response.Headers.Append("WWW-Authenticate", "DPoP " + algs);
        }
        else
        {
            var parameters = $"error=\"{refusal.Error}\", error_description=\"{Quotable(refusal.Description)}\"";
            response.Headers.WWWAuthenticate = refusal.Dpop ? $"DPoP {parameters}, {algs}" : $"Bearer realm=\"writ\", {parameters}";
            body["error"] = refusal.Error;
        }

        response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(response.Body, body, (JsonSerializerOptions?)null, httpContext.RequestAborted);
    }

    // RFC 6750 §3: error_description is printable ASCII without '"' and '\'.
    private static string Quotable(string text) =>
        string.Concat(text.Select(c => c is >= ' ' and <= '~' and not '"' and not '\\' ? c : '\''));
}
