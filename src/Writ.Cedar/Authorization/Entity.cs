using Writ.Cedar.Values;

namespace Writ.Cedar.Authorization;

/// <summary>An entity: its reference, attributes, direct parents and tags.</summary>
public sealed class Entity
{
    private static readonly IReadOnlyDictionary<string, Value> NoTags = new Dictionary<string, Value>(StringComparer.Ordinal);

    /// <summary>Creates an entity.</summary>
    public Entity(EntityUid uid, RecordValue? attributes = null, IEnumerable<EntityUid>? parents = null, IReadOnlyDictionary<string, Value>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(uid);
        Uid = uid;
        Attributes = attributes ?? RecordValue.Empty;
        Parents = parents switch
        {
            null => [],
            IReadOnlyCollection<EntityUid> { Count: 0 } => [],
            IReadOnlyCollection<EntityUid> { Count: 1 } one => [.. one],
            _ => [.. parents.Distinct()],
        };
        Tags = tags ?? NoTags;
    }

    /// <summary>The entity reference.</summary>
    public EntityUid Uid { get; }

    /// <summary>The attributes.</summary>
    public RecordValue Attributes { get; }

    /// <summary>The direct parents.</summary>
    public IReadOnlyList<EntityUid> Parents { get; }

    /// <summary>The tags.</summary>
    public IReadOnlyDictionary<string, Value> Tags { get; }
}
