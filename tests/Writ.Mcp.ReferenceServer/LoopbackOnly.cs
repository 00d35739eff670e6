using Microsoft.AspNetCore.Http;

namespace Writ.Mcp.ReferenceServer;

/// <summary>
/// DNS rebinding protection, as the MCP transport requires of a local server without authentication: a request
/// whose <c>Host</c> or <c>Origin</c> names anything but a loopback host is refused with 403.
/// </summary>
internal static class LoopbackOnly
{
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (!IsLoopback("http://" + context.Request.Host.Value) || (origin.Length > 0 && !IsLoopback(origin)))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"jsonrpc":"2.0","id":null,"error":{"code":-32000,"message":"Host and Origin must name a loopback host"}}""", context.RequestAborted);
            return;
        }

        await next(context);
    }

    private static bool IsLoopback(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.IsLoopback;
}
