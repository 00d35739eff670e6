using Writ.Cedar.Values;

namespace Writ.Cedar.Schema;

/// <summary>An entity type of a resolved schema.</summary>
public sealed class SchemaEntityType
{
    internal SchemaEntityType(EntityType name, IReadOnlyList<EntityType> parents, RecordType attributes, CedarType? tags, IReadOnlyList<string>? enumChoices)
    {
        Name = name;
        Parents = parents;
        Attributes = attributes;
        Tags = tags;
        EnumChoices = enumChoices;
    }

    /// <summary>The fully qualified type name.</summary>
    public EntityType Name { get; }

    /// <summary>The types its entities may directly be members of.</summary>
    public IReadOnlyList<EntityType> Parents { get; }

    /// <summary>Every type whose entities may be (transitively) members of this type's entities.</summary>
    public IReadOnlySet<EntityType> Descendants { get; internal set; } = new HashSet<EntityType>();

    /// <summary>The attributes, a closed record.</summary>
    public RecordType Attributes { get; }

    /// <summary>The type of tag values, or null when entities of this type have no tags.</summary>
    public CedarType? Tags { get; }

    /// <summary>For an enumerated type, the only valid ids; otherwise null.</summary>
    public IReadOnlyList<string>? EnumChoices { get; }
}

/// <summary>An action of a resolved schema.</summary>
public sealed class SchemaAction
{
    internal SchemaAction(EntityUid uid, IReadOnlyList<EntityUid> parents, IReadOnlyList<EntityType> principals, IReadOnlyList<EntityType> resources, RecordType context)
    {
        Uid = uid;
        Parents = parents;
        Principals = principals;
        Resources = resources;
        Context = context;
    }

    /// <summary>The action entity, such as <c>Action::"view"</c>.</summary>
    public EntityUid Uid { get; }

    /// <summary>The action groups it is directly a member of.</summary>
    public IReadOnlyList<EntityUid> Parents { get; }

    /// <summary>All action groups it is transitively a member of.</summary>
    public IReadOnlySet<EntityUid> Ancestors { get; internal set; } = new HashSet<EntityUid>();

    /// <summary>All actions that are transitively members of this one.</summary>
    public IReadOnlySet<EntityUid> Descendants { get; internal set; } = new HashSet<EntityUid>();

    /// <summary>Principal types it applies to; empty when it applies to nothing.</summary>
    public IReadOnlyList<EntityType> Principals { get; }

    /// <summary>Resource types it applies to; empty when it applies to nothing.</summary>
    public IReadOnlyList<EntityType> Resources { get; }

    /// <summary>The context type, a closed record.</summary>
    public RecordType Context { get; }
}
