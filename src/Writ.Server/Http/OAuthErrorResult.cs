using System.Text.Json;

namespace Writ.Server.Http;

/// <summary>An RFC 6749 §5.2 error response (<c>error</c>, <c>error_description</c>), never cached.</summary>
internal sealed class OAuthErrorResult(string error, string description, int status = StatusCodes.Status400BadRequest) : IResult
{
    public string Error { get; } = error;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = status;
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        if (status == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = "Basic realm=\"writ\"";
        }

        response.ContentType = "application/json";
        var payload = new Dictionary<string, string> { ["error"] = Error, ["error_description"] = description };
        await JsonSerializer.SerializeAsync(response.Body, payload, (JsonSerializerOptions?)null, httpContext.RequestAborted);
    }
}
