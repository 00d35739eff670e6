using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Net.Http.Headers;

namespace Writ.Server.Http;

/// <summary>Reads admin API JSON bodies: bounded size and depth, no unknown or duplicate members.</summary>
internal static class JsonRequest
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        MaxDepth = 16,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static async Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpRequest request, long limit)
        where T : class
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !(mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)))
        {
            return (null, Problems.Invalid("unsupported_media_type", "the body must be JSON (Content-Type: application/json)", StatusCodes.Status415UnsupportedMediaType));
        }

        var bytes = await BodyReader.ReadAsync(request, limit, request.HttpContext.RequestAborted);
        if (bytes is null)
        {
            return (null, Problems.Invalid("body_too_large", $"the request body is larger than {limit} bytes", StatusCodes.Status413PayloadTooLarge));
        }

        try
        {
            var body = JsonSerializer.Deserialize<T>(bytes, Options);
            return body is null ? (null, Problems.Invalid("invalid_json", "the body must be a JSON object")) : (body, null);
        }
        catch (JsonException ex)
        {
            // The exception message names the path and position of the problem, never server internals.
            var where = ex.Path is null ? string.Empty : $" at {ex.Path}";
            return (null, Problems.Invalid("invalid_json", $"the body is not valid JSON for this request{where}: {FirstSentence(ex.Message)}"));
        }
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        var text = end > 0 ? message[..end] : message;
        return text.Length > 200 ? text[..200] : text;
    }
}
