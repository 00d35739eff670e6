using System.Text;
using Writ.Cedar.Values;

namespace Writ.Cedar.Schema;

/// <summary>Which booleans a boolean type admits: any, or only one of the two values.</summary>
public enum BoolKind
{
    /// <summary>Either boolean.</summary>
    Any,
    /// <summary>Only <c>true</c>.</summary>
    True,
    /// <summary>Only <c>false</c>.</summary>
    False,
}

/// <summary>
/// A type of Cedar's validator: the types of schema attributes and contexts, plus the internal types
/// (singleton booleans, unions of entity types, open records, the empty type) the typechecker needs.
/// Types compare structurally.
/// </summary>
public abstract class CedarType : IEquatable<CedarType>
{
    private protected CedarType()
    {
    }

    /// <summary>The type of no value; a subtype of every type.</summary>
    public static CedarType Never { get; } = new NeverType();

    /// <summary>Any boolean.</summary>
    public static CedarType Bool { get; } = new BoolType(BoolKind.Any);

    /// <summary>Only <c>true</c>.</summary>
    public static CedarType True { get; } = new BoolType(BoolKind.True);

    /// <summary>Only <c>false</c>.</summary>
    public static CedarType False { get; } = new BoolType(BoolKind.False);

    /// <summary>A 64-bit integer.</summary>
    public static CedarType Long { get; } = new LongType();

    /// <summary>A string.</summary>
    public static CedarType String { get; } = new StringType();

    /// <summary>Any entity, of any type.</summary>
    public static CedarType AnyEntity { get; } = new EntityLubType(null);

    /// <summary>A set whose element type is unknown.</summary>
    public static CedarType AnySet { get; } = new SetType(null);

    /// <summary>An open record with no known attributes.</summary>
    public static CedarType AnyRecord { get; } = new RecordType(new Dictionary<string, AttributeType>(), open: true);

    /// <summary>The singleton boolean type of <paramref name="value"/>.</summary>
    public static CedarType Singleton(bool value) => value ? True : False;

    /// <summary>An entity of exactly one type.</summary>
    public static CedarType Entity(EntityType type) => new EntityLubType([type]);

    /// <summary>A set of <paramref name="element"/>.</summary>
    public static CedarType SetOf(CedarType element) => new SetType(element);

    /// <summary>An extension type by name (<c>ipaddr</c>, <c>decimal</c>, <c>datetime</c>, <c>duration</c>).</summary>
    public static CedarType Extension(string name) => new ExtensionType(name);

    /// <inheritdoc />
    public abstract bool Equals(CedarType? other);

    /// <inheritdoc />
    public sealed override bool Equals(object? obj) => obj is CedarType t && Equals(t);

    /// <inheritdoc />
    public abstract override int GetHashCode();

    /// <summary>The type written as in a Cedar schema, with internal types named as Cedar names them.</summary>
    public sealed override string ToString()
    {
        var sb = new StringBuilder();
        Write(sb);
        return sb.ToString();
    }

    internal abstract void Write(StringBuilder sb);

    /// <summary>Whether a description has grown long enough to stop; common types can make types exponentially large when printed.</summary>
    private protected static bool Truncated(StringBuilder sb)
    {
        if (sb.Length <= 400)
        {
            return false;
        }

        if (sb.Length < 404)
        {
            sb.Append("...");
        }

        return true;
    }
}

/// <summary>The empty type.</summary>
public sealed class NeverType : CedarType
{
    internal NeverType()
    {
    }

    /// <inheritdoc />
    public override bool Equals(CedarType? other) => other is NeverType;

    /// <inheritdoc />
    public override int GetHashCode() => 1;

    internal override void Write(StringBuilder sb) => sb.Append("__cedar::internal::Never");
}

/// <summary>A boolean type, possibly a singleton.</summary>
public sealed class BoolType : CedarType
{
    internal BoolType(BoolKind kind) => Kind = kind;

    /// <summary>Which booleans the type admits.</summary>
    public BoolKind Kind { get; }

    /// <inheritdoc />
    public override bool Equals(CedarType? other) => other is BoolType b && b.Kind == Kind;

    /// <inheritdoc />
    public override int GetHashCode() => 10 + (int)Kind;

    internal override void Write(StringBuilder sb) => sb.Append(Kind switch
    {
        BoolKind.True => "__cedar::internal::True",
        BoolKind.False => "__cedar::internal::False",
        _ => "Bool",
    });
}

/// <summary>The 64-bit integer type.</summary>
public sealed class LongType : CedarType
{
    internal LongType()
    {
    }

    /// <inheritdoc />
    public override bool Equals(CedarType? other) => other is LongType;

    /// <inheritdoc />
    public override int GetHashCode() => 2;

    internal override void Write(StringBuilder sb) => sb.Append("Long");
}

/// <summary>The string type.</summary>
public sealed class StringType : CedarType
{
    internal StringType()
    {
    }

    /// <inheritdoc />
    public override bool Equals(CedarType? other) => other is StringType;

    /// <inheritdoc />
    public override int GetHashCode() => 3;

    internal override void Write(StringBuilder sb) => sb.Append("String");
}

/// <summary>An entity type: either any entity, or one of a non-empty set of entity types (a least upper bound).</summary>
public sealed class EntityLubType : CedarType
{
    internal EntityLubType(IEnumerable<EntityType>? types)
    {
        if (types is not null)
        {
            var set = new SortedSet<EntityType>(Comparer<EntityType>.Create((a, b) => string.CompareOrdinal(a.Name, b.Name)));
            foreach (var t in types)
            {
                set.Add(t);
            }

            Types = set;
        }
    }

    /// <summary>The possible entity types, sorted by name; null for any entity.</summary>
    public IReadOnlySet<EntityType>? Types { get; }

    /// <summary>Whether this is the type of any entity.</summary>
    public bool IsAny => Types is null;

    /// <summary>The single entity type, if there is exactly one.</summary>
    public EntityType? Single => Types is { Count: 1 } ? Types.First() : null;

    /// <summary>The union of this and <paramref name="other"/> (both must name types).</summary>
    public EntityLubType Union(EntityLubType other) => new(Types!.Concat(other.Types!));

    /// <inheritdoc />
    public override bool Equals(CedarType? other) =>
        other is EntityLubType e && (Types is null ? e.Types is null : e.Types is not null && Types.SetEquals(e.Types));

    /// <inheritdoc />
    public override int GetHashCode()
    {
        if (Types is null)
        {
            return 4;
        }

        var h = new HashCode();
        foreach (var t in Types)
        {
            h.Add(t);
        }

        return h.ToHashCode();
    }

    internal override void Write(StringBuilder sb)
    {
        if (Types is null)
        {
            sb.Append("__cedar::internal::AnyEntity");
        }
        else if (Types.Count == 1)
        {
            sb.Append(Types.First().Name);
        }
        else
        {
            sb.Append("__cedar::internal::Union<").Append(string.Join(", ", Types.Select(t => t.Name))).Append('>');
        }
    }
}

/// <summary>A set type; the element type is null for a set of unknown elements.</summary>
public sealed class SetType : CedarType
{
    private readonly int _hash;

    internal SetType(CedarType? element)
    {
        Element = element;
        _hash = HashCode.Combine(5, element);
    }

    /// <summary>The element type, or null when unknown.</summary>
    public CedarType? Element { get; }

    /// <inheritdoc />
    public override bool Equals(CedarType? other) =>
        ReferenceEquals(this, other) || (other is SetType s && s._hash == _hash && (Element is null ? s.Element is null : Element.Equals(s.Element)));

    /// <inheritdoc />
    public override int GetHashCode() => _hash;

    internal override void Write(StringBuilder sb)
    {
        if (Truncated(sb))
        {
            return;
        }

        sb.Append("Set<");
        if (Element is null)
        {
            sb.Append("__cedar::internal::Any");
        }
        else
        {
            Element.Write(sb);
        }

        sb.Append('>');
    }
}

/// <summary>The type of one record attribute: its type and whether it must be present.</summary>
public sealed record AttributeType(CedarType Type, bool Required);

/// <summary>A record type. Closed records admit only their declared attributes; open ones admit others too.</summary>
public sealed class RecordType : CedarType
{
    /// <summary>Creates a record type.</summary>
    public RecordType(IReadOnlyDictionary<string, AttributeType> attributes, bool open)
    {
        var sorted = new SortedDictionary<string, AttributeType>(StringComparer.Ordinal);
        foreach (var (k, v) in attributes)
        {
            sorted[k] = v;
        }

        Attributes = sorted;
        Open = open;
        var h = new HashCode();
        h.Add(open);
        foreach (var (k, v) in sorted)
        {
            h.Add(k);
            h.Add(v.Required);
            h.Add(v.Type);
        }

        _hash = h.ToHashCode();
    }

    private readonly int _hash;

    /// <summary>The declared attributes, sorted by name.</summary>
    public IReadOnlyDictionary<string, AttributeType> Attributes { get; }

    /// <summary>Whether undeclared attributes may be present.</summary>
    public bool Open { get; }

    /// <inheritdoc />
    public override bool Equals(CedarType? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is not RecordType r || r._hash != _hash || r.Open != Open || r.Attributes.Count != Attributes.Count)
        {
            return false;
        }

        foreach (var (k, v) in Attributes)
        {
            if (!r.Attributes.TryGetValue(k, out var o) || o.Required != v.Required || !o.Type.Equals(v.Type))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override int GetHashCode() => _hash;

    internal override void Write(StringBuilder sb)
    {
        if (Truncated(sb))
        {
            return;
        }

        if (Open)
        {
            sb.Append("__cedar::internal::OpenRecord");
        }

        sb.Append('{');
        var first = true;
        foreach (var (k, v) in Attributes)
        {
            if (!first)
            {
                sb.Append(", ");
            }

            first = false;
            sb.Append(CedarText.IsIdentifier(k) ? k : CedarText.Quote(k));
            if (!v.Required)
            {
                sb.Append('?');
            }

            sb.Append(": ");
            v.Type.Write(sb);
        }

        sb.Append('}');
    }
}

/// <summary>An extension type such as <c>decimal</c>.</summary>
public sealed class ExtensionType : CedarType
{
    internal ExtensionType(string name) => Name = name;

    /// <summary>The extension type's name: <c>ipaddr</c>, <c>decimal</c>, <c>datetime</c> or <c>duration</c>.</summary>
    public string Name { get; }

    /// <inheritdoc />
    public override bool Equals(CedarType? other) => other is ExtensionType e && e.Name == Name;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(6, Name);

    internal override void Write(StringBuilder sb) => sb.Append(Name);
}
