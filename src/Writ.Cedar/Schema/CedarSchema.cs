using Writ.Cedar.Values;

namespace Writ.Cedar.Schema;

/// <summary>
/// A resolved Cedar schema: entity types with their attributes, tags and hierarchy, and actions with what they
/// apply to. Read one with <see cref="Parse"/> (human format) or <see cref="ParseJson"/> (JSON format).
/// </summary>
public sealed class CedarSchema
{
    private readonly Dictionary<EntityType, SchemaEntityType> _entityTypes;
    private readonly Dictionary<EntityUid, SchemaAction> _actions;

    internal CedarSchema(SchemaFragment fragment, Dictionary<EntityType, SchemaEntityType> entityTypes, Dictionary<EntityUid, SchemaAction> actions)
    {
        Fragment = fragment;
        _entityTypes = entityTypes;
        _actions = actions;
    }

    /// <summary>The schema as written, for translation between formats.</summary>
    public SchemaFragment Fragment { get; }

    /// <summary>The declared entity types by name.</summary>
    public IReadOnlyDictionary<EntityType, SchemaEntityType> EntityTypes => _entityTypes;

    /// <summary>The declared actions by entity reference.</summary>
    public IReadOnlyDictionary<EntityUid, SchemaAction> Actions => _actions;

    /// <summary>Reads a schema in the human <c>.cedarschema</c> format.</summary>
    /// <exception cref="SchemaParseException">The text is malformed or the declarations are inconsistent.</exception>
    public static CedarSchema Parse(string text, SchemaOptions? options = null) => FromFragment(SchemaFragment.ParseCedar(text), options);

    /// <summary>Reads a schema in Cedar's JSON schema format.</summary>
    /// <exception cref="SchemaParseException">The JSON is malformed or the declarations are inconsistent.</exception>
    public static CedarSchema ParseJson(string json, SchemaOptions? options = null) => FromFragment(SchemaFragment.ParseJson(json), options);

    /// <summary>Resolves a schema fragment.</summary>
    /// <exception cref="SchemaParseException">The declarations are inconsistent.</exception>
    public static CedarSchema FromFragment(SchemaFragment fragment, SchemaOptions? options = null) => SchemaResolver.Resolve(fragment, options ?? SchemaOptions.Default);

    /// <summary>Writes the schema in the human format.</summary>
    public string ToCedarText() => Fragment.ToCedarText();

    /// <summary>Writes the schema in the JSON format.</summary>
    public string ToJson() => Fragment.ToJson();

    /// <summary>Whether the type is declared, or is an action type (Cedar treats every <c>Action</c> type as known).</summary>
    public bool IsKnownEntityType(EntityType type) => type.IsAction || _entityTypes.ContainsKey(type);

    /// <summary>Looks up an entity type.</summary>
    public SchemaEntityType? GetEntityType(EntityType type) => _entityTypes.GetValueOrDefault(type);

    /// <summary>Looks up an action.</summary>
    public SchemaAction? GetAction(EntityUid uid) => _actions.GetValueOrDefault(uid);

    /// <summary>The types whose entities can be <c>in</c> an entity of <paramref name="type"/>: its descendants and itself.</summary>
    internal IEnumerable<EntityType> EntityTypesIn(EntityType type)
    {
        if (_entityTypes.TryGetValue(type, out var et))
        {
            foreach (var d in et.Descendants)
            {
                yield return d;
            }
        }

        yield return type;
    }

    /// <summary>All actions that are <c>in</c> one of <paramref name="uids"/>, or null if one of them is not a declared action.</summary>
    internal HashSet<EntityUid>? ActionsIn(IEnumerable<EntityUid> uids)
    {
        var result = new HashSet<EntityUid>();
        foreach (var uid in uids)
        {
            if (!_actions.TryGetValue(uid, out var a))
            {
                return null;
            }

            result.Add(uid);
            result.UnionWith(a.Descendants);
        }

        return result;
    }

    /// <summary>Every (principal type, action, resource type) the schema allows, with the action's context type, produced lazily.</summary>
    internal IEnumerable<RequestEnvironment> RequestEnvironments
    {
        get
        {
            foreach (var action in _actions.Values)
            {
                foreach (var p in action.Principals)
                {
                    foreach (var r in action.Resources)
                    {
                        yield return new RequestEnvironment(p, action.Uid, r, action.Context, null, null);
                    }
                }
            }
        }
    }
}

/// <summary>One request shape to typecheck a policy under; slot types are set for templates.</summary>
internal sealed record RequestEnvironment(EntityType Principal, EntityUid Action, EntityType Resource, RecordType Context, EntityType? PrincipalSlot, EntityType? ResourceSlot);
