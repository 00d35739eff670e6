using System.Text;
using System.Text.Json;
using Writ.Cedar.Authorization;
using Writ.Cedar.Values;

namespace Writ.Cedar.Json;

/// <summary>
/// Reads and writes the Cedar entities JSON format: an array of <c>{"uid", "attrs", "parents", "tags"}</c>.
/// With <see cref="IEntityJsonHints"/> (from a schema) attribute and tag values may use the implicit forms.
/// </summary>
public static class EntityJson
{
    /// <summary>Parses an entities document.</summary>
    public static List<Entity> ParseEntities(string json, IEntityJsonHints? hints = null)
        => JsonGuard.Run(() => ParseEntitiesCore(json, hints));

    internal static List<Entity> ParseEntitiesCore(string json, IEntityJsonHints? hints = null)
    {
        using var doc = ValueJson.ParseDocument(json);
        return ReadEntitiesCore(doc.RootElement, hints);
    }

    /// <summary>Parses an entities document given as UTF-8 bytes (no transcoding); invalid UTF-8 is an error.</summary>
    public static List<Entity> ParseEntities(ReadOnlyMemory<byte> utf8, IEntityJsonHints? hints = null)
        => JsonGuard.Run(() =>
        {
            using var doc = ValueJson.ParseDocument(utf8);
            return ReadEntitiesCore(doc.RootElement, hints);
        });

    /// <summary>Parses an entities document into a store (ancestors computed).</summary>
    public static EntityStore ParseStore(string json, IEntityJsonHints? hints = null)
        => JsonGuard.Run(() => ParseStoreCore(json, hints));

    internal static EntityStore ParseStoreCore(string json, IEntityJsonHints? hints = null)
    {
        var list = ParseEntities(json, hints);
        try
        {
            return new EntityStore(list);
        }
        catch (ArgumentException ex)
        {
            throw new CedarJsonException(ex.Message, ex);
        }
    }

    /// <summary>Reads entities from a JSON array.</summary>
    public static List<Entity> ReadEntities(JsonElement root, IEntityJsonHints? hints = null)
        => JsonGuard.Run(() => ReadEntitiesCore(root, hints));

    internal static List<Entity> ReadEntitiesCore(JsonElement root, IEntityJsonHints? hints = null)
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new CedarJsonException("entities JSON must be an array");
        }

        var result = new List<Entity>();
        foreach (var e in root.EnumerateArray())
        {
            result.Add(ReadEntityCore(e, hints));
        }

        return result;
    }

    /// <summary>Reads one entity object.</summary>
    public static Entity ReadEntity(JsonElement e, IEntityJsonHints? hints = null)
        => JsonGuard.Run(() => ReadEntityCore(e, hints));

    internal static Entity ReadEntityCore(JsonElement e, IEntityJsonHints? hints = null)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new CedarJsonException("each entity must be a JSON object");
        }

        EntityUid? uid = null;
        List<EntityUid>? parents = null;
        JsonElement? attrsEl = null;
        JsonElement? tagsEl = null;
        var seenParents = false;
        foreach (var p in e.EnumerateObject())
        {
            // NameEquals compares the UTF-8 bytes in place, sparing a string per property.
            if (p.NameEquals("uid"))
            {
                uid = uid is null ? ValueJson.ReadEntityUidCore(p.Value, "entity uid") : throw Duplicate("uid");
            }
            else if (p.NameEquals("attrs"))
            {
                attrsEl = attrsEl is null ? p.Value : throw Duplicate("attrs");
            }
            else if (p.NameEquals("parents"))
            {
                if (seenParents)
                {
                    throw Duplicate("parents");
                }

                seenParents = true;
                if (p.Value.ValueKind != JsonValueKind.Array)
                {
                    throw new CedarJsonException("entity parents must be an array");
                }

                parents = [];
                foreach (var parent in p.Value.EnumerateArray())
                {
                    parents.Add(ValueJson.ReadEntityUidCore(parent, "entity parent"));
                }
            }
            else if (p.NameEquals("tags"))
            {
                tagsEl = tagsEl is null ? p.Value : throw Duplicate("tags");
            }

            // Other fields are ignored, as cedar's entity reader does.
        }

        if (uid is null)
        {
            throw new CedarJsonException("entity is missing \"uid\"");
        }

        if (attrsEl is null || !seenParents)
        {
            throw new CedarJsonException($"entity {uid} is missing \"{(attrsEl is null ? "attrs" : "parents")}\"");
        }

        try
        {
            return BuildEntity(uid, attrsEl, tagsEl, parents, hints);
        }
        catch (CedarJsonException ex)
        {
            // The entity is named only on failure, so the happy path does not format it.
            throw new CedarJsonException($"entity {uid}: {ex.Message}", ex);
        }
    }

    private static CedarJsonException Duplicate(string field) => new($"entity has the field \"{field}\" twice");

    private static Entity BuildEntity(EntityUid uid, JsonElement? attrsEl, JsonElement? tagsEl, List<EntityUid>? parents, IEntityJsonHints? hints)
    {
        const string where = "attributes";
        RecordValue? attrs = null;
        Dictionary<string, Value>? tags = null;
        if (attrsEl is { } a)
        {
            if (a.ValueKind != JsonValueKind.Object)
            {
                throw new CedarJsonException($"{where}: attrs must be an object");
            }

            var hint = hints?.AttributesOf(uid.Type);
            attrs = ReadRecordFields(a, hint, where);
        }

        if (tagsEl is { } t)
        {
            if (t.ValueKind != JsonValueKind.Object)
            {
                throw new CedarJsonException($"{where}: tags must be an object");
            }

            var tagHint = hints?.TagsOf(uid.Type);
            tags = new Dictionary<string, Value>(StringComparer.Ordinal);
            foreach (var p in t.EnumerateObject())
            {
                if (!tags.TryAdd(p.Name, ValueJson.ReadCore(p.Value, tagHint, where)))
                {
                    throw new CedarJsonException($"{where}: duplicate tag {CedarText.Quote(p.Name)}");
                }
            }
        }

        return new Entity(uid, attrs, parents, tags);
    }

    private static RecordValue ReadRecordFields(JsonElement obj, JsonValueHint? hint, string where)
    {
        if (obj.GetPropertyCount() == 0)
        {
            return RecordValue.Empty;
        }

        var dict = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject())
        {
            JsonValueHint? attrHint = null;
            hint?.Attributes?.TryGetValue(p.Name, out attrHint);
            if (!dict.TryAdd(p.Name, ValueJson.ReadCore(p.Value, attrHint, where)))
            {
                throw new CedarJsonException($"{where}: duplicate attribute {CedarText.Quote(p.Name)}");
            }
        }

        return RecordValue.FromOwned(dict);
    }

    /// <summary>Reads a context object (a record); with a hint, implicit forms are allowed.</summary>
    public static RecordValue ReadContext(JsonElement e, JsonValueHint? hint = null)
        => JsonGuard.Run(() => ReadContextCore(e, hint));

    internal static RecordValue ReadContextCore(JsonElement e, JsonValueHint? hint = null)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new CedarJsonException("context must be a JSON object");
        }

        if (hint is null)
        {
            // Without a schema the object is read as a Cedar value, so an escape such as {"__entity": …} is not a record.
            return ValueJson.ReadCore(e, null, "context") as RecordValue
                ?? throw new CedarJsonException("context must be a record, not an entity or extension value");
        }

        return ReadRecordFields(e, hint, "context");
    }

    /// <summary>Parses a context document.</summary>
    public static RecordValue ParseContext(string json, JsonValueHint? hint = null)
        => JsonGuard.Run(() => ParseContextCore(json, hint));

    internal static RecordValue ParseContextCore(string json, JsonValueHint? hint = null)
    {
        using var doc = ValueJson.ParseDocument(json);
        return ReadContextCore(doc.RootElement, hint);
    }

    /// <summary>Writes entities as a JSON array.</summary>
    public static string ToJson(IEnumerable<Entity> entities, bool indented = true)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = indented }))
        {
            w.WriteStartArray();
            foreach (var e in entities)
            {
                w.WriteStartObject();
                w.WritePropertyName("uid");
                ValueJson.WriteEntityUid(w, e.Uid);
                w.WritePropertyName("attrs");
                ValueJson.Write(w, e.Attributes);
                w.WritePropertyName("parents");
                w.WriteStartArray();
                foreach (var p in e.Parents)
                {
                    ValueJson.WriteEntityUid(w, p);
                }

                w.WriteEndArray();
                if (e.Tags.Count > 0)
                {
                    w.WritePropertyName("tags");
                    w.WriteStartObject();
                    foreach (var (k, v) in e.Tags.OrderBy(t => t.Key, StringComparer.Ordinal))
                    {
                        w.WritePropertyName(k);
                        ValueJson.Write(w, v);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(ms.ToArray());
    }
}
