namespace Writ.Cedar.Values;

/// <summary>
/// An entity type name such as <c>User</c> or <c>Acme::Docs::File</c>: a basename with an optional namespace path.
/// Two types are equal when their full names are equal.
/// </summary>
public sealed class EntityType : IEquatable<EntityType>
{
    private readonly int _hash;

    /// <summary>Creates a type from its full name, e.g. <c>A::B::C</c>. The name is not validated.</summary>
    public EntityType(string fullName)
    {
        ArgumentNullException.ThrowIfNull(fullName);
        Name = fullName;
        _hash = StringComparer.Ordinal.GetHashCode(fullName);
    }

    /// <summary>Creates a type from its namespace path and basename.</summary>
    public EntityType(IReadOnlyList<string> path, string basename)
        : this(path.Count == 0 ? basename : string.Join("::", path) + "::" + basename)
    {
    }

    /// <summary>The full name with namespaces, e.g. <c>A::B::C</c>.</summary>
    public string Name { get; }

    /// <summary>The last segment of the name.</summary>
    public string Basename
    {
        get
        {
            var i = Name.LastIndexOf("::", StringComparison.Ordinal);
            return i < 0 ? Name : Name[(i + 2)..];
        }
    }

    /// <summary>The namespace path, empty for an unqualified name.</summary>
    public string Namespace
    {
        get
        {
            var i = Name.LastIndexOf("::", StringComparison.Ordinal);
            return i < 0 ? string.Empty : Name[..i];
        }
    }

    /// <summary>The segments of the name, namespaces first.</summary>
    public IReadOnlyList<string> Segments => Name.Split("::");

    /// <summary>Whether this is an action type: its basename is <c>Action</c>.</summary>
    public bool IsAction => Name == "Action" || Name.EndsWith("::Action", StringComparison.Ordinal);

    /// <summary>Whether <paramref name="name"/> is a well-formed type name (identifiers joined by <c>::</c>).</summary>
    public static bool IsValidName(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        var rest = name.AsSpan();
        while (true)
        {
            var sep = rest.IndexOf("::", StringComparison.Ordinal);
            var segment = sep < 0 ? rest : rest[..sep];
            if (!CedarText.IsValidNameSegment(segment))
            {
                return false;
            }

            if (sep < 0)
            {
                return true;
            }

            rest = rest[(sep + 2)..];
        }
    }

    /// <inheritdoc />
    public bool Equals(EntityType? other) => other is not null && (ReferenceEquals(this, other) || (other._hash == _hash && string.Equals(other.Name, Name, StringComparison.Ordinal)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as EntityType);

    /// <inheritdoc />
    public override int GetHashCode() => _hash;

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>Equality operator.</summary>
    public static bool operator ==(EntityType? left, EntityType? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Inequality operator.</summary>
    public static bool operator !=(EntityType? left, EntityType? right) => !(left == right);
}
