using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Writ.Cedar.Values;

namespace Writ.Core.Tasks;

/// <summary>
/// A call's arguments as the tags of its <c>ToolCall</c> entity, read straight from the JSON: a name is
/// looked up and its value becomes a Cedar string only when a policy reads it, so a call pays only for
/// the tags its policies use. One view per thread is reused from call to call (see <see cref="CallTags"/>);
/// the arguments were checked up front (see <see cref="WritEntities.CountArguments"/>).
/// </summary>
internal sealed class ArgumentTagView : IReadOnlyDictionary<string, Value>
{
    private JsonElement arguments;
    private int count;

    public int Count => count;

    public IEnumerable<string> Keys => Members().Select(p => p.Name);

    public IEnumerable<Value> Values => Members().Select(p => Convert(p.Value));

    public Value this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    /// <summary>A string argument as it is; any other JSON value as its compact JSON text.</summary>
    public static StringValue Convert(JsonElement element) => new(element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Object or JsonValueKind.Array => JsonSerializer.Serialize(element),
        _ => element.GetRawText(),
    });

    /// <summary>Shows <paramref name="checkedArguments"/> (an object of <paramref name="checkedCount"/> members, already checked).</summary>
    public void Show(JsonElement checkedArguments, int checkedCount)
    {
        arguments = checkedArguments;
        count = checkedCount;
    }

    /// <summary>Shows no arguments, and lets go of the last call's document.</summary>
    public void Reset()
    {
        arguments = default;
        count = 0;
    }

    public bool ContainsKey(string key) => Find(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Value value)
    {
        value = Find(key, out var element) ? Convert(element) : null;
        return value is not null;
    }

    public IEnumerator<KeyValuePair<string, Value>> GetEnumerator() =>
        Members().Select(p => new KeyValuePair<string, Value>(p.Name, Convert(p.Value))).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // A snapshot, so an enumeration that outlives the decision does not read the next call's arguments.
    private JsonProperty[] Members() => count == 0 ? [] : [.. arguments.EnumerateObject()];

    private bool Find(string key, out JsonElement value)
    {
        if (count > 0)
        {
            foreach (var member in arguments.EnumerateObject())
            {
                if (member.NameEquals(key))
                {
                    value = member.Value;
                    return true;
                }
            }
        }

        value = default;
        return false;
    }
}
