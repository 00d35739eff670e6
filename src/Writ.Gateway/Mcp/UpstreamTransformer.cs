using System.Buffers;
using System.Text;
using Writ.Gateway.Credentials;
using Writ.Gateway.Sessions;
using Yarp.ReverseProxy.Forwarder;

namespace Writ.Gateway.Mcp;

/// <summary>
/// Shapes one forwarded request and its response: the agent's credentials (Authorization, DPoP, cookies)
/// are removed, the upstream's own Host is used and the upstream credential injected; tool, resource and prompt lists are filtered in JSON
/// bodies and in SSE streams, event by event; a session the upstream creates is bound to the task before the agent sees its id.
/// Everything else passes through unchanged.
/// </summary>
internal sealed class UpstreamTransformer(Uri target, UpstreamCredential credential, ListFilter? filter, SessionTracking? sessions, long maxResponseBytes) : HttpTransformer
{
    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        proxyRequest.RequestUri = target;

        // The base transformer copies the agent's Host (the gateway's name); the upstream must get its own, from its URL,
        // or a virtual-hosted or host-validating server refuses or misroutes the call.
        proxyRequest.Headers.Host = null;
        proxyRequest.Headers.Remove("Authorization");
        proxyRequest.Headers.Remove("DPoP");
        proxyRequest.Headers.Remove("Cookie");
        if (credential.Header is { } header)
        {
            proxyRequest.Headers.Remove(header);
            proxyRequest.Headers.TryAddWithoutValidation(header, credential.Value);
        }
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (sessions is not null && proxyResponse is not null && !sessions.Observe(proxyResponse))
        {
            // Fail closed: a session that cannot be bound to this task is never handed to the agent.
            httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            httpContext.Response.ContentType = "application/json";
            await httpContext.Response.Body.WriteAsync(JsonRpcErrors.Error(null, JsonRpcErrors.UpstreamFailed, "too many MCP sessions are open through the gateway; end unused sessions or try again later"), cancellationToken);
            return false;
        }

        var copyBody = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (filter is null || proxyResponse is null || !proxyResponse.IsSuccessStatusCode)
        {
            // A GET's event stream is open once its headers arrive, though its first event may be far off: the agent
            // sees it open now, and a stream later cut for being idle ends as a closed stream, not as a gateway error.
            // (A POST's stream answers soon; its headers go out with its first event, as before.)
            if (copyBody && HttpMethods.IsGet(httpContext.Request.Method)
                && string.Equals(proxyResponse?.Content.Headers.ContentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase))
            {
                await httpContext.Response.Body.FlushAsync(cancellationToken);
            }

            return copyBody;
        }

        var media = proxyResponse.Content.Headers.ContentType?.MediaType;
        if (string.Equals(media, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            httpContext.Response.Headers.ContentLength = null;
            var body = await ReadBoundedAsync(proxyResponse.Content, cancellationToken);
            var rewritten = body is null ? null : await filter.RewriteAsync(body, cancellationToken);
            if (rewritten is null)
            {
                await UpstreamGarbageAsync(httpContext, cancellationToken);
                return false;
            }

            await httpContext.Response.Body.WriteAsync(rewritten, cancellationToken);
            return false;
        }

        if (string.Equals(media, "text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            httpContext.Response.Headers.ContentLength = null;
            await RelayEventsAsync(httpContext, proxyResponse, cancellationToken);
            return false;
        }

        return copyBody;
    }

    private static async Task UpstreamGarbageAsync(HttpContext context, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = StatusCodes.Status502BadGateway;
        context.Response.ContentType = "application/json";
        context.Response.Headers.ContentLength = null;
        await context.Response.Body.WriteAsync(JsonRpcErrors.Error(null, JsonRpcErrors.UpstreamFailed, "the upstream MCP server answered with something that is not JSON-RPC"), cancellationToken);
    }

    private async Task<byte[]?> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxResponseBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    // SSE is relayed line by line; only the data of complete events is looked at, and each event is flushed as it ends.
    private async Task RelayEventsAsync(HttpContext context, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var output = context.Response.Body;
        var pending = new StringBuilder();
        var data = new StringBuilder();
        var hasData = false;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length > maxResponseBytes || data.Length > maxResponseBytes)
            {
                return;
            }

            if (line.Length == 0)
            {
                if (hasData)
                {
                    // Data that is not JSON goes on unchanged, one data line per original line.
                    var rewritten = await filter!.RewriteAsync(Encoding.UTF8.GetBytes(data.ToString()), cancellationToken);
                    foreach (var dataLine in (rewritten is null ? data.ToString() : Encoding.UTF8.GetString(rewritten)).Split('\n'))
                    {
                        pending.Append("data: ").Append(dataLine).Append('\n');
                    }
                }

                pending.Append('\n');
                await output.WriteAsync(Encoding.UTF8.GetBytes(pending.ToString()), cancellationToken);
                await output.FlushAsync(cancellationToken);
                pending.Clear();
                data.Clear();
                hasData = false;
                continue;
            }

            if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                var value = line.AsSpan(5);
                if (value.Length > 0 && value[0] == ' ')
                {
                    value = value[1..];
                }

                if (hasData)
                {
                    data.Append('\n');
                }

                data.Append(value);
                hasData = true;
                continue;
            }

            pending.Append(line).Append('\n');
        }

        if (pending.Length > 0)
        {
            await output.WriteAsync(Encoding.UTF8.GetBytes(pending.ToString()), cancellationToken);
        }
    }
}
