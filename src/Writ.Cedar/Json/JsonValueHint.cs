using Writ.Cedar.Values;

namespace Writ.Cedar.Json;

/// <summary>What a JSON value is expected to be, which unlocks the implicit JSON forms a schema allows.</summary>
public enum JsonHintKind
{
    /// <summary>No expectation: ordinary parsing (objects are records unless escaped).</summary>
    Any,
    /// <summary>An entity reference: <c>{"type","id"}</c> is accepted without the <c>__entity</c> escape.</summary>
    Entity,
    /// <summary>An extension value: a string is passed to the type's constructor; <c>{"fn","arg"}</c> needs no <c>__extn</c>.</summary>
    Extension,
    /// <summary>A set whose elements follow <see cref="JsonValueHint.Element"/>.</summary>
    Set,
    /// <summary>A record whose attributes follow <see cref="JsonValueHint.Attributes"/>.</summary>
    Record,
}

/// <summary>
/// An expected type for schema-directed JSON parsing. The schema layer builds these from its types and
/// passes them to <see cref="ValueJson"/>, <see cref="EntityJson"/> and the context readers; without a hint
/// the readers parse Cedar JSON as written, with explicit escapes only.
/// </summary>
public sealed class JsonValueHint
{
    private JsonValueHint(JsonHintKind kind, string? extensionName, JsonValueHint? element, IReadOnlyDictionary<string, JsonValueHint>? attributes, EntityType? entityType)
    {
        Kind = kind;
        ExtensionName = extensionName;
        Element = element;
        Attributes = attributes;
        EntityType = entityType;
    }

    /// <summary>No expectation.</summary>
    public static JsonValueHint Any { get; } = new(JsonHintKind.Any, null, null, null, null);

    /// <summary>The kind of expectation.</summary>
    public JsonHintKind Kind { get; }

    /// <summary>For <see cref="JsonHintKind.Extension"/>: <c>decimal</c>, <c>ipaddr</c>, <c>datetime</c> or <c>duration</c>.</summary>
    public string? ExtensionName { get; }

    /// <summary>For <see cref="JsonHintKind.Set"/>: the element expectation.</summary>
    public JsonValueHint? Element { get; }

    /// <summary>For <see cref="JsonHintKind.Record"/>: expectations for known attributes.</summary>
    public IReadOnlyDictionary<string, JsonValueHint>? Attributes { get; }

    /// <summary>For <see cref="JsonHintKind.Entity"/>: the expected entity type, when known.</summary>
    public EntityType? EntityType { get; }

    /// <summary>Expect an entity reference.</summary>
    public static JsonValueHint Entity(EntityType? type = null) => new(JsonHintKind.Entity, null, null, null, type);

    /// <summary>Expect an extension value; <paramref name="name"/> is the type name (<c>ipaddr</c>, <c>decimal</c>, <c>datetime</c>, <c>duration</c>).</summary>
    public static JsonValueHint Extension(string name) => new(JsonHintKind.Extension, name, null, null, null);

    /// <summary>Expect a set.</summary>
    public static JsonValueHint SetOf(JsonValueHint element) => new(JsonHintKind.Set, null, element, null, null);

    /// <summary>Expect a record.</summary>
    public static JsonValueHint Record(IReadOnlyDictionary<string, JsonValueHint> attributes) => new(JsonHintKind.Record, null, null, attributes, null);
}

/// <summary>Schema-provided expectations for entity JSON: attribute and tag types per entity type.</summary>
public interface IEntityJsonHints
{
    /// <summary>The expected attributes record of entities of <paramref name="type"/>, or null when unknown.</summary>
    JsonValueHint? AttributesOf(EntityType type);

    /// <summary>The expected type of the tag values of entities of <paramref name="type"/>, or null when unknown.</summary>
    JsonValueHint? TagsOf(EntityType type);
}
