using System.Buffers;
using System.Text.Json;
using Writ.Cedar.Schema;
using Writ.Cedar.Values;

namespace Writ.Core.Policy.AuthZen;

/// <summary>
/// Writes one entity as Cedar entities JSON: the stored entity's attributes with the request's <c>properties</c>
/// written over them (member by member), and the stored parents and tags. With a schema, properties the entity's
/// type does not declare are left out (policies validated against the schema cannot read them).
/// </summary>
internal static class EntityComposer
{
    public static void Write(Utf8JsonWriter w, EntityUid uid, JsonElement? stored, JsonElement? properties, CedarSchema? schema)
    {
        var declared = schema?.GetEntityType(uid.Type)?.Attributes;
        w.WriteStartObject();
        w.WritePropertyName("uid");
        w.WriteStartObject();
        w.WriteString("type", uid.Type.ToString());
        w.WriteString("id", uid.Id);
        w.WriteEndObject();
        w.WritePropertyName("attrs");
        w.WriteStartObject();
        var overridden = new HashSet<string>(StringComparer.Ordinal);
        if (properties is { } props)
        {
            foreach (var p in props.EnumerateObject())
            {
                if (ContextComposer.Keeps(declared, p.Name))
                {
                    overridden.Add(p.Name);
                }
            }
        }

        if (stored is { } s && s.TryGetProperty("attrs", out var attrs) && attrs.ValueKind == JsonValueKind.Object)
        {
            foreach (var a in attrs.EnumerateObject())
            {
                if (!overridden.Contains(a.Name))
                {
                    a.WriteTo(w);
                }
            }
        }

        if (properties is { } given)
        {
            foreach (var p in given.EnumerateObject())
            {
                if (ContextComposer.Keeps(declared, p.Name))
                {
                    p.WriteTo(w);
                }
            }
        }

        w.WriteEndObject();
        w.WritePropertyName("parents");
        if (stored is { } st && st.TryGetProperty("parents", out var parents))
        {
            parents.WriteTo(w);
        }
        else
        {
            w.WriteStartArray();
            w.WriteEndArray();
        }

        if (stored is { } withTags && withTags.TryGetProperty("tags", out var tags))
        {
            w.WritePropertyName("tags");
            tags.WriteTo(w);
        }

        w.WriteEndObject();
    }

    /// <summary>An entities array of the given entities, parsed into a document.</summary>
    public static JsonDocument Document(Action<Utf8JsonWriter> writeEntities)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            writeEntities(w);
            w.WriteEndArray();
        }

        return JsonDocument.Parse(buffer.WrittenMemory, AuthZenRequestReader.DocumentOptions);
    }
}
