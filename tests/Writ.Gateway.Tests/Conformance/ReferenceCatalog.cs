using ModelContextProtocol.Client;

namespace Writ.Gateway.Tests.Conformance;

/// <summary>The tools, static resources and prompts the reference server lists to a client connected directly.</summary>
internal sealed record ReferenceCatalog(IReadOnlyList<string> Tools, IReadOnlyList<string> Resources, IReadOnlyList<string> Prompts)
{
    public static async Task<ReferenceCatalog> ListAsync(Uri reference, CancellationToken cancellationToken)
    {
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = reference }), cancellationToken: cancellationToken);
        var tools = await client.ListToolsAsync(cancellationToken: cancellationToken);
        var resources = await client.ListResourcesAsync(cancellationToken: cancellationToken);
        var prompts = await client.ListPromptsAsync(cancellationToken: cancellationToken);
        return new ReferenceCatalog([.. tools.Select(t => t.Name)], [.. resources.Select(r => r.Uri)], [.. prompts.Select(p => p.Name)]);
    }
}
