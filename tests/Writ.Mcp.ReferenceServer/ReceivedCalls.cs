using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;

namespace Writ.Mcp.ReferenceServer;

/// <summary>
/// The decidable calls the server received (<c>tools/call</c>, <c>resources/read</c>, <c>prompts/get</c>), each as
/// <c>"method name-or-uri"</c>, so a test can compare what reached the upstream with what a proxy in front recorded.
/// </summary>
public sealed class ReceivedCalls
{
    private readonly ConcurrentQueue<string> calls = new();

    /// <summary>The calls received since the last <see cref="Take"/>, in arrival order.</summary>
    /// <returns>The calls; the log is empty afterwards.</returns>
    public IReadOnlyList<string> Take()
    {
        var taken = new List<string>();
        while (calls.TryDequeue(out var call))
        {
            taken.Add(call);
        }

        return taken;
    }

    internal void Register(IMcpRequestFilterBuilder filters)
    {
        filters.AddCallToolFilter(next => (request, ct) =>
        {
            calls.Enqueue(RequestMethods.ToolsCall + " " + request.Params?.Name);
            return next(request, ct);
        });
        filters.AddReadResourceFilter(next => (request, ct) =>
        {
            calls.Enqueue(RequestMethods.ResourcesRead + " " + request.Params?.Uri);
            return next(request, ct);
        });
        filters.AddGetPromptFilter(next => (request, ct) =>
        {
            calls.Enqueue(RequestMethods.PromptsGet + " " + request.Params?.Name);
            return next(request, ct);
        });
    }
}
