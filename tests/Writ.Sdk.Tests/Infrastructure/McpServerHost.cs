using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Writ.Sdk.Tests.Infrastructure;

/// <summary>A real MCP server (the official C# SDK, Streamable HTTP) on loopback that records the credentials each request carried.</summary>
internal sealed class McpServerHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private McpServerHost(WebApplication app) => this.app = app;

    public Uri Endpoint => new(app.Urls.First().TrimEnd('/') + "/mcp");

    public List<(string Method, string? Authorization, string? Dpop)> Seen { get; } = [];

    public static async Task<McpServerHost> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddMcpServer().WithHttpTransport(o => o.Stateless = true).WithTools<IssueTools>();
        var app = builder.Build();
        var host = new McpServerHost(app);
        app.Use(async (HttpContext context, RequestDelegate next) =>
        {
            lock (host.Seen)
            {
                host.Seen.Add((context.Request.Method, context.Request.Headers.Authorization.FirstOrDefault(), context.Request.Headers["DPoP"].FirstOrDefault()));
            }

            await next(context);
        });
        app.MapMcp("/mcp");
        await app.StartAsync(TestContext.Current.CancellationToken);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }
}
