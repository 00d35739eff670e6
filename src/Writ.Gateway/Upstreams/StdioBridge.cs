using System.Text;
using System.Text.Json;
using Writ.Core.Tasks;
using Writ.Gateway.Configuration;
using Writ.Gateway.Mcp;
using Writ.Gateway.Sessions;

namespace Writ.Gateway.Upstreams;

/// <summary>The Streamable HTTP side of a stdio upstream: POST (messages), GET (the server's own messages as SSE), DELETE (end the session).</summary>
internal sealed class StdioBridge(StdioSessions sessions, GatewaySettings settings)
{

    /// <summary>Answers the request; returns the status for the audit record.</summary>
    public async Task<int> HandleAsync(HttpContext context, GatewayRoute route, TaskTokenClaims task, JsonRpcBody? parsed, byte[]? body, ListFilter? filter)
    {
        var aborted = context.RequestAborted;
        var sessionId = context.Request.Headers[McpSession.Header].FirstOrDefault();
        if (HttpMethods.IsDelete(context.Request.Method))
        {
            var ending = sessions.Find(sessionId, route.Path, task);
            if (ending is null)
            {
                return await WriteAsync(context, StatusCodes.Status404NotFound, JsonRpcErrors.Error(null, JsonRpcBody.InvalidRequest, "no such MCP session"));
            }

            await sessions.EndAsync(ending);
            context.Response.StatusCode = StatusCodes.Status200OK;
            return StatusCodes.Status200OK;
        }

        if (HttpMethods.IsGet(context.Request.Method))
        {
            var listening = sessions.Find(sessionId, route.Path, task);
            if (listening is null)
            {
                return await WriteAsync(context, StatusCodes.Status404NotFound, JsonRpcErrors.Error(null, JsonRpcBody.InvalidRequest, "no such MCP session"));
            }

            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.Body.FlushAsync(aborted);
            try
            {
                await foreach (var line in listening.ServerMessages.Reader.ReadAllAsync(aborted))
                {
                    await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes("event: message\ndata: " + line + "\n\n"), aborted);
                    await context.Response.Body.FlushAsync(aborted);
                }
            }
            catch (OperationCanceledException)
            {
                // The agent went away; the session stays.
            }

            return StatusCodes.Status200OK;
        }

        if (!HttpMethods.IsPost(context.Request.Method) || parsed is null || body is null)
        {
            return await WriteAsync(context, StatusCodes.Status400BadRequest, JsonRpcErrors.Error(null, JsonRpcBody.InvalidRequest, "POST one JSON-RPC message or batch"));
        }

        var session = sessions.Find(sessionId, route.Path, task);
        var created = false;
        if (session is null)
        {
            if (sessionId is not null || !parsed.Messages.Any(m => m.Method == "initialize" && m.IsRequest))
            {
                return await WriteAsync(context, StatusCodes.Status404NotFound, JsonRpcErrors.Error(null, JsonRpcBody.InvalidRequest, "no such MCP session; start one with initialize"));
            }

            session = await sessions.StartAsync(route, task);
            if (session is null)
            {
                return await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, JsonRpcErrors.Error(null, JsonRpcErrors.UpstreamFailed, "too many stdio sessions are open; try again later"));
            }

            created = true;
        }

        string[] lines;
        using (var document = JsonDocument.Parse(body))
        {
            var root = document.RootElement;
            lines = root.ValueKind == JsonValueKind.Array ? [.. root.EnumerateArray().Select(e => e.GetRawText().ReplaceLineEndings(" "))] : [root.GetRawText().ReplaceLineEndings(" ")];
        }

        var ids = parsed.Messages.Where(m => m.IsRequest).Select(m => m.Id!).ToArray();
        string[] responses;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(settings.UpstreamTimeout);
        try
        {
            responses = await session.ExchangeAsync(lines, ids, timeout.Token);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            return await WriteAsync(context, StatusCodes.Status504GatewayTimeout, JsonRpcErrors.Error(null, JsonRpcErrors.UpstreamFailed, "the upstream did not answer in time"));
        }
        catch (IOException)
        {
            return await WriteAsync(context, StatusCodes.Status502BadGateway, JsonRpcErrors.Error(null, JsonRpcErrors.UpstreamFailed, "the stdio upstream exited"));
        }

        if (created)
        {
            context.Response.Headers[McpSession.Header] = session.Id;
        }

        if (ids.Length == 0)
        {
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return StatusCodes.Status202Accepted;
        }

        var json = Encoding.UTF8.GetBytes(parsed.Batch ? "[" + string.Join(',', responses) + "]" : responses[0]);
        if (filter is not null)
        {
            json = await filter.RewriteAsync(json, context.RequestAborted) ?? json;
        }

        return await WriteAsync(context, StatusCodes.Status200OK, json);
    }

    private static async Task<int> WriteAsync(HttpContext context, int status, byte[] json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(json, context.RequestAborted);
        return status;
    }
}
