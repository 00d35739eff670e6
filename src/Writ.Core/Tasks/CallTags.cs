using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Writ.Cedar.Values;

namespace Writ.Core.Tasks;

/// <summary>
/// The tags of the <c>ToolCall</c> entity: a view of the arguments of the call being decided on this
/// thread. It lets the decider keep one entity store per (task, tool, target) instead of building one per
/// call; Cedar evaluates synchronously on the calling thread, so the arguments are shown just before
/// <c>Authorizer.IsAuthorized</c> and withdrawn right after. Each thread reuses one view, so a call
/// allocates nothing for its arguments.
/// </summary>
internal sealed class CallTags : IReadOnlyDictionary<string, Value>
{
    public static readonly CallTags View = new();

    [ThreadStatic]
    private static ArgumentTagView? current;

    private CallTags()
    {
    }

    private static ArgumentTagView Current => current ??= new ArgumentTagView();

    public int Count => Current.Count;

    public IEnumerable<string> Keys => Current.Keys;

    public IEnumerable<Value> Values => Current.Values;

    public Value this[string key] => Current[key];

    /// <summary>
    /// Makes <paramref name="checkedArguments"/> (checked by <see cref="WritEntities.CountArguments"/>, which gave
    /// <paramref name="count"/>) the tags of the call decided on this thread, until the returned view is reset.
    /// </summary>
    public static ArgumentTagView Show(JsonElement? checkedArguments, int count)
    {
        var view = Current;
        view.Show(count > 0 ? checkedArguments.GetValueOrDefault() : default, count);
        return view;
    }

    public bool ContainsKey(string key) => Current.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Value value) => Current.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, Value>> GetEnumerator() => Current.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
