using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Writ.Cedar.Values;

namespace Writ.Core.Tasks;

/// <summary>
/// The tags of the <c>ToolCall</c> entity: a view of the arguments of the call being decided on this
/// thread. It lets the decider keep one entity store per (task, tool, target) instead of building one per
/// call; Cedar evaluates synchronously on the calling thread, so the view is set just before
/// <c>Authorizer.IsAuthorized</c> and cleared right after.
/// </summary>
internal sealed class CallTags : IReadOnlyDictionary<string, Value>
{
    public static readonly CallTags View = new();

    [ThreadStatic]
    private static IReadOnlyDictionary<string, Value>? current;

    private CallTags()
    {
    }

    private static IReadOnlyDictionary<string, Value> Current => current ?? WritEntities.NoTags;

    public int Count => Current.Count;

    public IEnumerable<string> Keys => Current.Keys;

    public IEnumerable<Value> Values => Current.Values;

    public Value this[string key] => Current[key];

    /// <summary>Makes <paramref name="tags"/> the tags of the call decided on this thread until <see cref="Clear"/>.</summary>
    public static void Set(IReadOnlyDictionary<string, Value> tags) => current = tags;

    public static void Clear() => current = null;

    public bool ContainsKey(string key) => Current.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Value value) => Current.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, Value>> GetEnumerator() => Current.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
