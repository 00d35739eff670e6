using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Writ.Mcp.ReferenceServer;

/// <summary>
/// Tools for two scenarios the suite still marks pending: polling with resumption (SEP-1699), whose call ends its
/// event stream early so the client must resume it with <c>Last-Event-ID</c>, and a JSON Schema 2020-12 input schema (SEP-1613).
/// </summary>
internal static class PendingScenarioTools
{
    private const string Draft202012InputSchema = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "$defs": {
            "address": { "type": "object", "properties": { "street": { "type": "string" }, "city": { "type": "string" } } }
          },
          "properties": {
            "name": { "type": "string" },
            "address": { "$ref": "#/$defs/address" }
          },
          "additionalProperties": false
        }
        """;

    public static IEnumerable<McpServerTool> Create()
    {
        yield return McpServerTool.Create(ReconnectAsync, new McpServerToolCreateOptions { Name = "test_reconnection", Description = "Ends its event stream before answering, so the client resumes it" });

        var schemaTool = McpServerTool.Create(
            (JsonElement? name, JsonElement? address) => new CallToolResult { Content = [new TextContentBlock { Text = $"name={name}, address={address}" }] },
            new McpServerToolCreateOptions { Name = "json_schema_2020_12_tool", Description = "Takes input described by a JSON Schema 2020-12 document" });
        schemaTool.ProtocolTool.InputSchema = JsonDocument.Parse(Draft202012InputSchema).RootElement.Clone();
        yield return schemaTool;
    }

    [Description("Ends its event stream before answering")]
    private static async Task<CallToolResult> ReconnectAsync(RequestContext<CallToolRequestParams> context, CancellationToken cancellationToken)
    {
        await context.EnablePollingAsync(TimeSpan.FromMilliseconds(200), cancellationToken);
        await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        return new CallToolResult { Content = [new TextContentBlock { Text = "The answer after the stream was resumed." }] };
    }
}
