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

    public static string AttributeKey(Expr on, string attribute) => "a\u0001" + on + "\u0001" + attribute;

    public static string TagKey(Expr on, Expr tag) => "t\u0001" + on + "\u0001" + tag;

    public static Capabilities Of(string key) => new(Empty._keys.Add(key));

    public bool Contains(string key) => _keys.Contains(key);

    public Capabilities Union(Capabilities other) =>
        other._keys.IsEmpty ? this : _keys.IsEmpty ? other : new(_keys.Union(other._keys));

    public Capabilities Intersect(Capabilities other) =>
        _keys.IsEmpty || other._keys.IsEmpty ? Empty : new(_keys.Intersect(other._keys));
}
