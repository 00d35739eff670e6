using System.Text.Json;

namespace Writ.Server.Endpoints.Tasks;

/// <summary>RFC 6750 §3: 401 with <c>WWW-Authenticate: Bearer error="invalid_token"</c> and a JSON error body.</summary>
internal sealed class BearerErrorResult(string description) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers.CacheControl = "no-store";
        response.Headers.WWWAuthenticate = "Bearer realm=\"writ\", error=\"invalid_token\"";
        response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(response.Body, new Dictionary<string, string> { ["error"] = "invalid_token", ["error_description"] = description }, (JsonSerializerOptions?)null, httpContext.RequestAborted);
    }
}
