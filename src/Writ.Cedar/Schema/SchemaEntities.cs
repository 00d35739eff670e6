using System.Text.Json;
using Writ.Cedar.Authorization;
using Writ.Cedar.Values;

namespace Writ.Cedar.Schema;

/// <summary>
/// Schema-based reading of entities and contexts, as Cedar does when given a schema: values are read as the
/// declared types (implicit entity references and extension values), entities must conform to their declared
/// type, and the schema's action entities, with their hierarchy, are added.
/// </summary>
public static class SchemaEntities
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 256 };


    /// <summary>Reads an entities JSON array against the schema and adds the schema's action entities.</summary>
    /// <exception cref="SchemaConformanceException">An entity is malformed or does not conform to the schema.</exception>
    public static IReadOnlyList<Entity> ParseEntities(string json, CedarSchema schema)
    {
        using var doc = ParseDocument(json);
        return ParseEntities(doc.RootElement, schema);
    }

    /// <summary>Reads an entities JSON array against the schema and adds the schema's action entities.</summary>
    /// <exception cref="SchemaConformanceException">An entity is malformed or does not conform to the schema.</exception>
    public static IReadOnlyList<Entity> ParseEntities(JsonElement json, CedarSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        try
        {
            return ParseEntitiesCore(json, schema);
        }
        catch (InvalidOperationException e)
        {
            // System.Text.Json throws this for escapes that decode to invalid text, such as "\uD800".
            throw new SchemaConformanceException($"invalid JSON: {e.Message}", e);
        }
    }

    private static List<Entity> ParseEntitiesCore(JsonElement json, CedarSchema schema)
    {
        if (json.ValueKind != JsonValueKind.Array)
        {
            throw new SchemaConformanceException("entities must be a JSON array");
        }

        var result = new Dictionary<EntityUid, Entity>();
        var actions = ActionEntities(schema).ToDictionary(e => e.Uid);
        var dataActions = new Dictionary<EntityUid, Entity>();
        var index = 0;
        foreach (var item in json.EnumerateArray())
        {
            var entity = ParseEntity(item, schema, $"entities[{index++}]");
            if (result.ContainsKey(entity.Uid) || dataActions.ContainsKey(entity.Uid))
            {
                throw new SchemaConformanceException($"entity {entity.Uid} appears twice");
            }

            if (entity.Uid.Type.IsAction)
            {
                dataActions.Add(entity.Uid, entity);
            }
            else
            {
                result.Add(entity.Uid, entity);
            }
        }

        RejectCycles(result.Values.Concat(dataActions.Values));

        // Cedar checks action entities given in the data after closing their hierarchy: each must be declared and
        // have exactly the declared ancestors.
        foreach (var action in dataActions.Values)
        {
            if (!actions.TryGetValue(action.Uid, out var declared))
            {
                throw new SchemaConformanceException($"action entity {action.Uid} is not declared in the schema");
            }

            if (!AncestorsInData(action, dataActions).SetEquals(declared.Parents))
            {
                throw new SchemaConformanceException($"action entity {action.Uid} differs from its declaration in the schema");
            }
        }

        foreach (var a in actions.Values)
        {
            result[a.Uid] = a;
        }

        return [.. result.Values];
    }

    /// <summary>The schema's actions as entities; each action's parents are all the groups it is transitively in.</summary>
    public static IEnumerable<Entity> ActionEntities(CedarSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return schema.Actions.Values.Select(a => new Entity(a.Uid, RecordValue.Empty, a.Ancestors));
    }

    /// <summary>Reads a request context against the context type of <paramref name="action"/>.</summary>
    /// <exception cref="SchemaConformanceException">The action is undeclared or the context does not conform.</exception>
    public static RecordValue ParseContext(JsonElement json, CedarSchema schema, EntityUid action)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(action);
        var declared = schema.GetAction(action) ?? throw new SchemaConformanceException($"action {action} is not declared in the schema");
        try
        {
            return SchemaValueParser.ForContext.ParseRecord(json, declared.Context, "context");
        }
        catch (InvalidOperationException e)
        {
            throw new SchemaConformanceException($"invalid JSON: {e.Message}", e);
        }
    }

    /// <summary>Reads a request context given as JSON text against the context type of <paramref name="action"/>.</summary>
    /// <exception cref="SchemaConformanceException">The action is undeclared or the context does not conform.</exception>
    public static RecordValue ParseContext(string json, CedarSchema schema, EntityUid action)
    {
        using var doc = ParseDocument(json);
        return ParseContext(doc.RootElement, schema, action);
    }

    private static JsonDocument ParseDocument(string json)
    {
        try
        {
            return JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            throw new SchemaConformanceException($"invalid JSON: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            // Thrown for text that is not valid UTF-16, such as an unpaired surrogate.
            throw new SchemaConformanceException($"invalid JSON: {e.Message}", e);
        }
    }

    private static Entity ParseEntity(JsonElement item, CedarSchema schema, string path)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new SchemaConformanceException($"{path}: an entity must be a JSON object");
        }

        // Cedar's entity format: `uid`, `attrs` and `parents` are required, `tags` is optional; cedar ignores other fields.
        JsonElement? uidJson = null, attrsJson = null, parentsJson = null, tagsJson = null;
        foreach (var p in item.EnumerateObject())
        {
            ref var slot = ref uidJson;
            switch (p.Name)
            {
                case "uid":
                    break;
                case "attrs":
                    slot = ref attrsJson;
                    break;
                case "parents":
                    slot = ref parentsJson;
                    break;
                case "tags":
                    slot = ref tagsJson;
                    break;
                default:
                    continue;
            }

            if (slot is not null)
            {
                throw new SchemaConformanceException($"{path}: duplicate field `{p.Name}`");
            }

            slot = p.Value;
        }

        if (uidJson is null || attrsJson is null || parentsJson is null)
        {
            var missing = uidJson is null ? "uid" : attrsJson is null ? "attrs" : "parents";
            throw new SchemaConformanceException($"{path}: an entity needs a `{missing}` field");
        }

        var uid = SchemaValueParser.ParseEntityReference(uidJson.Value, $"{path}.uid", implicitAllowed: true)
            ?? throw new SchemaConformanceException($"{path}.uid: expected an entity reference");
        if (parentsJson.Value.ValueKind != JsonValueKind.Array)
        {
            throw new SchemaConformanceException($"{path}.parents: expected an array of entity references");
        }

        var parents = new List<EntityUid>();
        foreach (var p in parentsJson.Value.EnumerateArray())
        {
            parents.Add(SchemaValueParser.ParseEntityReference(p, $"{path}.parents", implicitAllowed: true)
                ?? throw new SchemaConformanceException($"{path}.parents: expected an entity reference"));
        }

        if (uid.Type.IsAction)
        {
            if (attrsJson.Value.ValueKind != JsonValueKind.Object || attrsJson.Value.EnumerateObject().Any())
            {
                throw new SchemaConformanceException($"{path}: action entity {uid} cannot have attributes");
            }

            return new Entity(uid, RecordValue.Empty, parents);
        }

        var type = schema.GetEntityType(uid.Type) ?? throw new SchemaConformanceException($"{path}: entity type `{uid.Type}` is not declared in the schema");
        if (type.EnumChoices is { } choices && !choices.Contains(uid.Id))
        {
            throw new SchemaConformanceException($"{path}: {uid} is not one of the ids declared for enumerated type `{uid.Type}`");
        }

        foreach (var parent in parents)
        {
            CheckEntityReference(parent, schema, $"{path}.parents");
            if (!IsAllowedParent(schema, uid.Type, parent))
            {
                throw new SchemaConformanceException($"{path}: {uid} cannot be a member of {parent}: the schema does not allow `{parent.Type}` as a parent type of `{uid.Type}`");
            }
        }

        var attrs = SchemaValueParser.ForEntities.ParseRecord(attrsJson.Value, type.Attributes, $"{path}.attrs");
        var tags = new Dictionary<string, Value>(StringComparer.Ordinal);
        if (tagsJson is { } tagsValue)
        {
            if (tagsValue.ValueKind != JsonValueKind.Object)
            {
                throw new SchemaConformanceException($"{path}.tags: expected an object");
            }

            foreach (var t in tagsValue.EnumerateObject())
            {
                if (type.Tags is null)
                {
                    throw new SchemaConformanceException($"{path}.tags: entities of type `{uid.Type}` cannot have tags");
                }

                if (!tags.TryAdd(t.Name, SchemaValueParser.ForEntities.Parse(t.Value, type.Tags, $"{path}.tags.{t.Name}")))
                {
                    throw new SchemaConformanceException($"{path}.tags.{t.Name}: duplicate tag");
                }
            }
        }

        foreach (var (name, value) in attrs.Fields)
        {
            if (!ValueConformance.Conforms(value, type.Attributes.Attributes[name].Type, schema))
            {
                throw new SchemaConformanceException($"{path}.attrs.{name}: {value} does not have the declared type {type.Attributes.Attributes[name].Type}");
            }
        }

        foreach (var (name, tag) in tags)
        {
            if (!ValueConformance.Conforms(tag, type.Tags!, schema))
            {
                throw new SchemaConformanceException($"{path}.tags.{name}: {tag} does not have the declared tag type {type.Tags}");
            }
        }

        CheckEntityReferences(attrs, schema, $"{path}.attrs");
        foreach (var (name, tag) in tags)
        {
            CheckEntityReferences(tag, schema, $"{path}.tags.{name}");
        }

        return new Entity(uid, attrs, parents, tags);
    }

    /// <summary>Cedar refuses entity data whose parent relation has a cycle (an entity that is its own ancestor).</summary>
    private static void RejectCycles(IEnumerable<Entity> entities)
    {
        var byUid = entities.ToDictionary(e => e.Uid);
        var state = new Dictionary<EntityUid, bool>(); // false: on the current path, true: finished
        foreach (var start in byUid.Keys)
        {
            if (state.ContainsKey(start))
            {
                continue;
            }

            var stack = new Stack<(EntityUid Uid, int Next)>();
            stack.Push((start, 0));
            state[start] = false;
            while (stack.Count > 0)
            {
                var (uid, next) = stack.Pop();
                var parents = byUid[uid].Parents;
                if (next < parents.Count)
                {
                    stack.Push((uid, next + 1));
                    var parent = parents[next];
                    if (!byUid.ContainsKey(parent))
                    {
                        continue;
                    }

                    if (!state.TryGetValue(parent, out var done))
                    {
                        state[parent] = false;
                        stack.Push((parent, 0));
                    }
                    else if (!done)
                    {
                        throw new SchemaConformanceException($"the entity hierarchy has a cycle through {parent}");
                    }
                }
                else
                {
                    state[uid] = true;
                }
            }
        }
    }

    private static HashSet<EntityUid> AncestorsInData(Entity start, Dictionary<EntityUid, Entity> data)
    {
        var seen = new HashSet<EntityUid>();
        var stack = new Stack<EntityUid>(start.Parents);
        while (stack.Count > 0)
        {
            var uid = stack.Pop();
            if (seen.Add(uid) && data.TryGetValue(uid, out var parent))
            {
                foreach (var p in parent.Parents)
                {
                    stack.Push(p);
                }
            }
        }

        return seen;
    }

    /// <summary>Every entity reference inside <paramref name="value"/> must be valid: a declared id of an enumerated type, a declared action.</summary>
    internal static void CheckEntityReferences(Value value, CedarSchema schema, string path)
    {
        switch (value)
        {
            case EntityUid uid:
                CheckEntityReference(uid, schema, path);
                break;
            case SetValue set:
                foreach (var item in set.Items)
                {
                    CheckEntityReferences(item, schema, path);
                }

                break;
            case RecordValue record:
                foreach (var (k, v) in record.Fields)
                {
                    CheckEntityReferences(v, schema, $"{path}.{k}");
                }

                break;
        }
    }

    private static void CheckEntityReference(EntityUid uid, CedarSchema schema, string path)
    {
        if (uid.Type.IsAction && schema.GetAction(uid) is null)
        {
            throw new SchemaConformanceException($"{path}: action {uid} is not declared in the schema");
        }

        if (schema.GetEntityType(uid.Type) is { EnumChoices: { } choices } && !choices.Contains(uid.Id))
        {
            throw new SchemaConformanceException($"{path}: {uid} is not one of the ids declared for enumerated type `{uid.Type}`");
        }
    }

    private static bool IsAllowedParent(CedarSchema schema, EntityType child, EntityUid parent) =>
        schema.GetEntityType(parent.Type) is { } pt && pt.Descendants.Contains(child);
}
