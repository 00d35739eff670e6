using System.Text.Json;

namespace Writ.Gateway.Mcp;

/// <summary>One JSON-RPC 2.0 message of a request body: a request (has an id), a notification or a response.</summary>
/// <param name="Id">The id's raw JSON (string or number), or null for a notification.</param>
/// <param name="Method">The method, or null for a response.</param>
/// <param name="Params">The params, when present.</param>
internal sealed record JsonRpcMessage(string? Id, string? Method, JsonElement? Params)
{
    public bool IsRequest => Method is not null && Id is not null;
}

/// <summary>The messages of a request body, or why the body is not JSON-RPC.</summary>
internal sealed record JsonRpcBody(IReadOnlyList<JsonRpcMessage> Messages, bool Batch, int ErrorCode, string? Error)
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    private const int MaxMessages = 256;

    /// <summary>Parses <paramref name="body"/>; the returned document must outlive the messages.</summary>
    public static JsonRpcBody Parse(ReadOnlyMemory<byte> body, out JsonDocument? document)
    {
        document = null;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return Fail(ParseError, "the request body is not valid JSON");
        }

        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object)
        {
            return Read(root) is { } one ? new JsonRpcBody([one], false, 0, null) : Fail(InvalidRequest, "the message is not a JSON-RPC 2.0 request, notification or response");
        }

        if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() is 0 or > MaxMessages)
        {
            return Fail(InvalidRequest, "the body must be one JSON-RPC 2.0 message or a batch of 1 to 256");
        }

        var messages = new List<JsonRpcMessage>(root.GetArrayLength());
        foreach (var element in root.EnumerateArray())
        {
            if (Read(element) is not { } message)
            {
                return Fail(InvalidRequest, "a message of the batch is not a JSON-RPC 2.0 request, notification or response");
            }

            messages.Add(message);
        }

        return new JsonRpcBody(messages, true, 0, null);
    }

    private static JsonRpcBody Fail(int code, string error) => new([], false, code, error);

    private static JsonRpcMessage? Read(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || !version.ValueEquals("2.0"))
        {
            return null;
        }

        string? id = null;
        if (element.TryGetProperty("id", out var idElement))
        {
            if (idElement.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null))
            {
                return null;
            }

            id = idElement.GetRawText();
        }

        JsonElement? parameters = element.TryGetProperty("params", out var p) ? p : null;
        if (element.TryGetProperty("method", out var method))
        {
            if (method.ValueKind != JsonValueKind.String || parameters is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Array) })
            {
                return null;
            }

            return new JsonRpcMessage(id, method.GetString(), parameters);
        }

        // A response (to a server-to-client request): result or error, and an id.
        return id is not null && (element.TryGetProperty("result", out _) || element.TryGetProperty("error", out _)) ? new JsonRpcMessage(id, null, null) : null;
    }
}
