using Microsoft.Net.Http.Headers;
using Writ.Core.Identity;

namespace Writ.Server.Http;

/// <summary>Reads the form body of a token service request, answering bad bodies with RFC 6749 errors.</summary>
internal static class FormRequest
{
    private const string FormMediaType = "application/x-www-form-urlencoded";

    public static async Task<(IReadOnlyDictionary<string, string>? Form, IResult? Error)> ReadAsync(HttpRequest request, long limit)
    {
        if (!IsForm(request.ContentType))
        {
            return (null, new OAuthErrorResult(OAuthError.InvalidRequest, "the body must be application/x-www-form-urlencoded (UTF-8)"));
        }

        if (request.QueryString.HasValue && request.Query.Count > 0)
        {
            return (null, new OAuthErrorResult(OAuthError.InvalidRequest, "parameters go in the form body, not the query string"));
        }

        var body = await BodyReader.ReadAsync(request, limit, request.HttpContext.RequestAborted);
        if (body is null)
        {
            return (null, new OAuthErrorResult(OAuthError.InvalidRequest, $"the request body is larger than {limit} bytes", StatusCodes.Status413PayloadTooLarge));
        }

        var parsed = FormParser.Parse(body);
        return parsed.Error is null
            ? (parsed.Values, null)
            : (null, new OAuthErrorResult(OAuthError.InvalidRequest, "malformed form: " + parsed.Error));
    }

    // The plain media type, as clients send it, needs no parsing; anything else is parsed in full.
    private static bool IsForm(string? contentType) =>
        string.Equals(contentType, FormMediaType, StringComparison.OrdinalIgnoreCase)
        || (MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            && mediaType.MediaType.Equals(FormMediaType, StringComparison.OrdinalIgnoreCase)
            && (!mediaType.Charset.HasValue || mediaType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)));
}
