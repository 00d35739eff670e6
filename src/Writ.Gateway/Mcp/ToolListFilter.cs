using System.Text.Json;
using Writ.Core.Tasks;
using Writ.Gateway.Configuration;

namespace Writ.Gateway.Mcp;

/// <summary>
/// Rewrites <c>tools/list</c> results so an agent sees only the tools its task may call: declared in the
/// intent, and, for a tool with a fixed target, declared with that target. Other messages pass unchanged.
/// </summary>
internal sealed class ToolListFilter(GatewayRoute route, TaskIntent intent, IReadOnlySet<string> listIds)
{
    public bool Allows(string mcpTool)
    {
        var grant = intent.Find(route.ToolName(mcpTool));
        if (grant is null)
        {
            return false;
        }

        return route.TargetFor(mcpTool) is not { Fixed: { } target } || grant.Targets.Contains(target, StringComparer.Ordinal);
    }

    /// <summary>The JSON text of a body or event data with the list results filtered; null when it is not JSON.</summary>
    public byte[]? Rewrite(ReadOnlySpan<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 128 });
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            using var buffer = new MemoryStream(json.Length);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Array)
                {
                    writer.WriteStartArray();
                    foreach (var message in root.EnumerateArray())
                    {
                        WriteMessage(writer, message);
                    }

                    writer.WriteEndArray();
                }
                else
                {
                    WriteMessage(writer, root);
                }
            }

            return buffer.ToArray();
        }
    }

    private void WriteMessage(Utf8JsonWriter writer, JsonElement message)
    {
        if (message.ValueKind != JsonValueKind.Object
            || !message.TryGetProperty("id", out var id) || !listIds.Contains(id.GetRawText())
            || !message.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Object
            || !result.TryGetProperty("tools", out var tools) || tools.ValueKind != JsonValueKind.Array)
        {
            message.WriteTo(writer);
            return;
        }

        writer.WriteStartObject();
        foreach (var property in message.EnumerateObject())
        {
            if (!property.NameEquals("result"))
            {
                property.WriteTo(writer);
                continue;
            }

            writer.WriteStartObject("result");
            foreach (var member in result.EnumerateObject())
            {
                if (!member.NameEquals("tools"))
                {
                    member.WriteTo(writer);
                    continue;
                }

                writer.WriteStartArray("tools");
                foreach (var tool in tools.EnumerateArray())
                {
                    if (tool.ValueKind == JsonValueKind.Object && tool.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String && Allows(name.GetString()!))
                    {
                        tool.WriteTo(writer);
                    }
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
