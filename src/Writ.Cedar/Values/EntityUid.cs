using System.Text;

namespace Writ.Cedar.Values;

/// <summary>An entity reference: a type and an id, written <c>Type::"id"</c>. Also a Cedar value.</summary>
public sealed class EntityUid : Value, IEquatable<EntityUid>
{
    private readonly int _hash;

    /// <summary>Creates an entity reference.</summary>
    public EntityUid(EntityType type, string id)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(id);
        Type = type;
        Id = id;
        _hash = HashCode.Combine(type.GetHashCode(), StringComparer.Ordinal.GetHashCode(id));
    }

    /// <summary>Creates an entity reference from a full type name and an id.</summary>
    public EntityUid(string typeName, string id)
        : this(new EntityType(typeName), id)
    {
    }

    /// <summary>The entity type.</summary>
    public EntityType Type { get; }

    /// <summary>The entity id.</summary>
    public string Id { get; }

    /// <inheritdoc />
    public override ValueKind Kind => ValueKind.Entity;

    /// <inheritdoc />
    public bool Equals(EntityUid? other) =>
        other is not null && (ReferenceEquals(this, other) || (other._hash == _hash && other.Type.Equals(Type) && string.Equals(other.Id, Id, StringComparison.Ordinal)));

    /// <inheritdoc />
    public override bool Equals(Value? other) => Equals(other as EntityUid);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as EntityUid);

    /// <inheritdoc />
    public override int GetHashCode() => _hash;

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder(Type.Name.Length + Id.Length + 4);
        sb.Append(Type.Name).Append("::");
        CedarText.AppendQuoted(sb, Id);
        return sb.ToString();
    }
}
