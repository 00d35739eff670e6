using System.Text.Json;
using Writ.Core.Tasks;
using Writ.Gateway.Configuration;

namespace Writ.Gateway.Mcp;

/// <summary>
/// Rewrites the answers to <c>tools/list</c>, <c>resources/list</c>, <c>resources/templates/list</c> and
/// <c>prompts/list</c> so an agent sees only what its task may use: tools by the intent, resources and prompts by the
/// decision their read or get would get (nothing is recorded per item; the call is decided and recorded when made).
/// Every other message, and every other member of a list answer (such as <c>nextCursor</c>), passes unchanged.
/// </summary>
internal sealed class ListFilter(
    GatewayRoute route,
    TaskIntent intent,
    IReadOnlyDictionary<string, ListKind> listIds,
    Func<CallRequest, CancellationToken, ValueTask<bool>>? policy = null)
{
    // Beyond this many resources and prompts in one answer, the rest are hidden rather than decided one by one.
    private const int MaxDecidedItems = 1000;
    private readonly HashSet<string> policyAllowed = new(StringComparer.Ordinal);

    /// <summary>
    /// A tool is kept when it is declared in the intent and, for a tool with a fixed target, declared with that target.
    /// </summary>
    private bool AllowsTool(string mcpTool)
    {
        var grant = intent.Find(route.ToolName(mcpTool));
        if (grant is null)
        {
            return false;
        }

        return route.TargetFor(mcpTool) is not { Fixed: { } target } || grant.Targets.Contains(target, StringComparer.Ordinal);
    }

    /// <summary>
    /// A resource or resource template is read with the route's fixed target, so it is kept only when the route has
    /// one and the intent declares it; without one every read is refused (target.unknown), so nothing is listed.
    /// </summary>
    private bool AllowsResource() => route.Target?.Fixed is { } target && DeclaresTarget(target);

    /// <summary>
    /// A prompt is got with the route's target: a fixed one must be declared in the intent; one taken from an
    /// argument cannot be known from a list, so the prompt is kept as a tool with such a target is, and its get is
    /// decided when made.
    /// </summary>
    private bool AllowsPrompt() => route.Target switch
    {
        null => false,
        { Fixed: { } target } => DeclaresTarget(target),
        _ => true,
    };

    private bool AllowsByIntent(ListKind kind, string key) =>
        ReferenceEquals(kind, ListKind.Tools) ? AllowsTool(key)
        : ReferenceEquals(kind, ListKind.Prompts) ? AllowsPrompt()
        : AllowsResource();

    private bool Allows(ListKind kind, string key) =>
        AllowsByIntent(kind, key) && (policy is null || PolicyTarget(kind) is null || policyAllowed.Contains(kind.Member + "\n" + key));

    // The target a read or get of a listed item is decided with; null for tools (judged by the intent, as before) and
    // for prompts whose target comes from an argument.
    private string? PolicyTarget(ListKind kind) => ReferenceEquals(kind, ListKind.Tools) ? null : route.Target?.Fixed;

    /// <summary>
    /// The JSON text of a body or event data with the list results filtered; null when it is not JSON. Resources and
    /// prompts within the intent are first decided as their read or get would be, without recording.
    /// </summary>
    public async ValueTask<byte[]?> RewriteAsync(byte[] json, CancellationToken cancellationToken)
    {
        if (policy is not null && FindListed(json) is { Count: > 0 } listed)
        {
            foreach (var (kind, key) in listed)
            {
                var call = new CallRequest(key, PolicyTarget(kind)!, ReferenceEquals(kind, ListKind.Prompts) ? CallKind.PromptGet : CallKind.ResourceRead);
                if (await policy(call, cancellationToken))
                {
                    policyAllowed.Add(kind.Member + "\n" + key);
                }
            }
        }

        return Rewrite(json);
    }

    // The resources and prompts of the list answers in the text that the intent allows and a policy must still judge.
    private List<(ListKind Kind, string Key)>? FindListed(byte[] json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 128 });
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            var found = new List<(ListKind, string)>();
            var root = document.RootElement;
            foreach (var message in root.ValueKind == JsonValueKind.Array ? root.EnumerateArray() : Enumerable.Repeat(root, 1))
            {
                if (message.ValueKind != JsonValueKind.Object
                    || !message.TryGetProperty("id", out var id) || !listIds.TryGetValue(id.GetRawText(), out var kind) || PolicyTarget(kind) is null
                    || !message.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Object
                    || !result.TryGetProperty(kind.Member, out var items) || items.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var item in items.EnumerateArray())
                {
                    if (found.Count < MaxDecidedItems && item.ValueKind == JsonValueKind.Object && item.TryGetProperty(kind.Key, out var key)
                        && key.ValueKind == JsonValueKind.String && AllowsByIntent(kind, key.GetString()!))
                    {
                        found.Add((kind, key.GetString()!));
                    }
                }
            }

            return found;
        }
    }

    // Resources and prompts are not declared one by one: the decider asks only that the system they come from is.
    private bool DeclaresTarget(string target)
    {
        foreach (var grant in intent.Tools)
        {
            if (grant.Targets.Contains(target, StringComparer.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private byte[]? Rewrite(ReadOnlySpan<byte> json)
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
            || !message.TryGetProperty("id", out var id) || !listIds.TryGetValue(id.GetRawText(), out var kind)
            || !message.TryGetProperty("result", out var result) || result.ValueKind != JsonValueKind.Object
            || !result.TryGetProperty(kind.Member, out var items) || items.ValueKind != JsonValueKind.Array)
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
                if (!member.NameEquals(kind.Member))
                {
                    member.WriteTo(writer);
                    continue;
                }

                // An item without its key cannot be judged, so it is dropped.
                writer.WriteStartArray(kind.Member);
                foreach (var item in items.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty(kind.Key, out var key) && key.ValueKind == JsonValueKind.String && Allows(kind, key.GetString()!))
                    {
                        item.WriteTo(writer);
                    }
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
