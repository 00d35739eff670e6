using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;

namespace Writ.Mcp.ReferenceServer;

/// <summary>
/// The reference upstream MCP server, listening on loopback over Streamable HTTP at <c>/mcp</c> (stateful
/// sessions, server-sent event streams, server-to-client requests). It passes every active server scenario of
/// the MCP conformance suite, so a run through a proxy can be compared scenario by scenario with a direct run.
/// </summary>
public sealed class ReferenceMcpServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private ReferenceMcpServer(WebApplication app, Uri url, ReceivedCalls calls)
    {
        this.app = app;
        Url = url;
        Calls = calls;
    }

    /// <summary>The MCP endpoint, e.g. <c>http://127.0.0.1:41234/mcp</c>.</summary>
    public Uri Url { get; }

    /// <summary>The tool, resource and prompt calls that reached this server.</summary>
    public ReceivedCalls Calls { get; }

    /// <summary>Starts the server on a free loopback port.</summary>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <returns>The running server; dispose it to stop.</returns>
    public static async Task<ReferenceMcpServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var calls = new ReceivedCalls();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddDistributedMemoryCache();
        builder.Services
            .AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = "writ-reference-mcp-server", Version = "1.0.0" };
                options.Capabilities = new ServerCapabilities { Logging = new LoggingCapability(), Completions = new CompletionsCapability() };
            })
            .WithHttpTransport(http => http.SessionMode = HttpServerSessionMode.Stateful)
            .WithDistributedCacheEventStreamStore()
            .WithRequestFilters(calls.Register)
            .WithTools([typeof(ReferenceTools)])
            .WithTools(PendingScenarioTools.Create())
            .WithResources([typeof(ReferenceResources)])
            .WithPrompts([typeof(ReferencePrompts)])
            .WithSubscribeToResourcesHandler((_, _) => ValueTask.FromResult(new EmptyResult()))
            .WithUnsubscribeFromResourcesHandler((_, _) => ValueTask.FromResult(new EmptyResult()))
            .WithSetLoggingLevelHandler((_, _) => ValueTask.FromResult(new EmptyResult()))
            .WithCompleteHandler((request, _) => ValueTask.FromResult(Completions.For(request.Params)));

        var app = builder.Build();
        app.Use(LoopbackOnly.InvokeAsync);
        app.MapMcp("/mcp");
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new ReferenceMcpServer(app, new Uri(address.TrimEnd('/') + "/mcp"), calls);
    }

    /// <summary>Stops the server.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None);
        await app.DisposeAsync();
    }
}
