using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;

namespace Writ.Sdk.Mcp;

/// <summary>
/// Connects the official MCP C# client to an MCP server behind the Writ gateway with a task's token:
/// every request of the Streamable HTTP transport goes through the task's <see cref="WritTaskHandler"/>.
/// </summary>
public static class AgentTaskMcpExtensions
{
    /// <summary>
    /// A Streamable HTTP transport to <paramref name="endpoint"/> (the gateway's URL for the MCP server) whose
    /// requests carry the task token (and DPoP proofs when bound). The transport owns its HTTP client.
    /// </summary>
    public static HttpClientTransport CreateMcpTransport(this AgentTask task, Uri endpoint, string? name = null, HttpMessageHandler? innerHandler = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(endpoint);
        var options = new HttpClientTransportOptions
        {
            Endpoint = endpoint,
            Name = name ?? "writ-task-" + task.Id,
            TransportMode = HttpTransportMode.StreamableHttp,
        };
        return new HttpClientTransport(options, task.CreateHttpClient(innerHandler), loggerFactory, ownsHttpClient: true);
    }

    /// <summary>Connects an MCP client to <paramref name="endpoint"/> through the gateway with the task's token.</summary>
    public static async Task<McpClient> ConnectMcpClientAsync(this AgentTask task, Uri endpoint, McpClientOptions? clientOptions = null, HttpMessageHandler? innerHandler = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        var transport = task.CreateMcpTransport(endpoint, null, innerHandler, loggerFactory);
        return await McpClient.CreateAsync(transport, clientOptions, loggerFactory, cancellationToken).ConfigureAwait(false);
    }
}
