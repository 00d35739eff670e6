using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Writ.Cli.Api;

// An RFC 9457 problem details answer from the admin API, or the closest description of a non-problem error.
internal sealed record ApiProblem(int Status, string? Title, string? Detail, string? Code, string? Type)
{
    public static ApiProblem FromResponse(HttpStatusCode status, string? reason, string body)
    {
        var statusCode = (int)status;
        if (TryParseObject(body) is { } json)
        {
            var title = Text(json, "title");
            var detail = Text(json, "detail");
            var code = Text(json, "code") ?? Text(json, "error");
            detail ??= Text(json, "error_description");
            if (title is not null || detail is not null || code is not null)
            {
                return new ApiProblem(statusCode, title, detail, code, Text(json, "type"));
            }
        }

        return new ApiProblem(statusCode, reason ?? $"HTTP {statusCode}", null, null, null);
    }

    // One line for stderr: what went wrong, in the server's words, with its stable code.
    public string Describe()
    {
        var what = Detail ?? Title ?? $"HTTP {Status}";
        what = what.TrimEnd('.');
        return Code is null ? $"{what} (HTTP {Status})" : $"{what} ({Code}, HTTP {Status})";
    }

    private static JsonObject? TryParseObject(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonObject json, string name) =>
        json[name] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text)
            ? SingleLine(text)
            : null;

    // A hostile or careless server must not be able to paint over the terminal or spread one error over many lines.
    private static string SingleLine(string text)
    {
        var chars = text.Select(c => char.IsControl(c) ? ' ' : c).ToArray();
        var line = new string(chars).Trim();
        return line.Length <= 500 ? line : line[..500] + "…";
    }
}
