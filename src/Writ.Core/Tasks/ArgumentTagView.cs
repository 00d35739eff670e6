using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Writ.Cedar.Values;

namespace Writ.Core.Tasks;

/// <summary>
/// A call's arguments as the tags of its <c>ToolCall</c> entity, read straight from the JSON: a name is
/// looked up and its value becomes a Cedar string only when a policy reads it, so a call pays only for
/// the tags its policies use. The arguments were checked up front (see <see cref="WritEntities.ArgumentTags"/>).
/// </summary>
internal sealed class ArgumentTagView(JsonElement arguments, int count) : IReadOnlyDictionary<string, Value>
{
    public int Count => count;

    public IEnumerable<string> Keys => arguments.EnumerateObject().Select(p => p.Name);

    public IEnumerable<Value> Values => arguments.EnumerateObject().Select(p => Convert(p.Value));

    public Value this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    public bool ContainsKey(string key) => Find(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Value value)
    {
        value = Find(key, out var element) ? Convert(element) : null;
        return value is not null;
    }

    public IEnumerator<KeyValuePair<string, Value>> GetEnumerator() =>
        arguments.EnumerateObject().Select(p => new KeyValuePair<string, Value>(p.Name, Convert(p.Value))).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>A string argument as it is; any other JSON value as its compact JSON text.</summary>
    public static StringValue Convert(JsonElement element) => new(element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Object or JsonValueKind.Array => JsonSerializer.Serialize(element),
        _ => element.GetRawText(),
    });

    private bool Find(string key, out JsonElement value)
    {
        foreach (var member in arguments.EnumerateObject())
        {
            if (member.NameEquals(key))
            {
                value = member.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}
