using System.Collections.Immutable;
using Writ.Cedar.Ast;

namespace Writ.Cedar.Validation;

/// <summary>
/// What the typechecker knows is safe to read at a point of a policy: attributes and tags proven present by
/// <c>has</c> and <c>hasTag</c> tests. Keys compare expressions by their canonical text, as Cedar compares them by shape.
/// </summary>
internal sealed class Capabilities
{
    public static readonly Capabilities Empty = new(ImmutableHashSet<string>.Empty.WithComparer(StringComparer.Ordinal));

    private readonly ImmutableHashSet<string> _keys;

    private Capabilities(ImmutableHashSet<string> keys) => _keys = keys;


    public static Capabilities Of(string key) => new(Empty._keys.Add(key));

    public bool Contains(string key) => _keys.Contains(key);

    public Capabilities Union(Capabilities other) =>
        other._keys.IsEmpty ? this : _keys.IsEmpty ? other : new(_keys.Union(other._keys));

    public Capabilities Intersect(Capabilities other) =>
        _keys.IsEmpty || other._keys.IsEmpty ? Empty : new(_keys.Intersect(other._keys));
}

/// <summary>
/// Builds capability keys, remembering each expression's canonical text: a policy is typechecked under many request
/// environments, always over the same expression objects.
/// </summary>
internal sealed class CapabilityKeys
{
    private readonly Dictionary<Expr, string> _text = new(ReferenceEqualityComparer.Instance);

    public string Attribute(Expr on, string attribute) => "a\u0001" + Text(on) + "\u0001" + attribute;

    public string Tag(Expr on, Expr tag) => "t\u0001" + Text(on) + "\u0001" + Text(tag);

    private string Text(Expr e)
    {
        if (!_text.TryGetValue(e, out var text))
        {
            text = e.ToString();
            _text[e] = text;
        }

        return text;
    }
}
