using System.Text.Json;

namespace Writ.Server.Http;

/// <summary>An RFC 9457 problem details response for Writ's own APIs, with a stable <c>code</c>.</summary>
internal sealed class ProblemResult(int status, string code, string title, string detail) : IResult
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = Status;
        response.Headers.CacheControl = "no-store";
        if (Status == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = "Bearer realm=\"writ-admin\"";
        }

        response.ContentType = "application/problem+json";
        var payload = new Dictionary<string, object>
        {
            ["type"] = "urn:writ:problem:" + Code,
            ["title"] = title,
            ["status"] = Status,
            ["detail"] = detail,
            ["code"] = Code,
        };
        await JsonSerializer.SerializeAsync(response.Body, payload, (JsonSerializerOptions?)null, httpContext.RequestAborted);
    }
}
