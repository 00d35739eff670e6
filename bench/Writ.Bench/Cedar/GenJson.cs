using System.Text;
using System.Text.Json;

namespace Writ.Bench.Cedar;

/// <summary>Writes generated entities, values and requests in Cedar's JSON formats.</summary>
internal static class GenJson
{
    private static readonly JsonWriterOptions Compact = new() { Indented = false };

    public static string Entities(IEnumerable<GenEntity> entities) => Write(w => WriteEntities(w, entities));

    /// <summary>One request as cedar-wasm's call takes it (less the policies): principal, action, resource, context, entities.</summary>
    public static string Request(GenRequest r) => Write(w => WriteRequest(w, r));

    public static void WriteRequest(Utf8JsonWriter w, GenRequest r)
    {
        w.WriteStartObject();
        w.WritePropertyName("principal");
        WriteUid(w, r.Principal);
        w.WritePropertyName("action");
        WriteUid(w, r.Action);
        w.WritePropertyName("resource");
        WriteUid(w, r.Resource);
        w.WritePropertyName("context");
        WriteValue(w, r.Context);
        w.WritePropertyName("entities");
        WriteEntities(w, r.Slice);
        w.WriteEndObject();
    }

    private static void WriteEntities(Utf8JsonWriter w, IEnumerable<GenEntity> entities)
    {
        w.WriteStartArray();
        foreach (var e in entities)
        {
            w.WriteStartObject();
            w.WritePropertyName("uid");
            WriteUid(w, e.Uid);
            w.WritePropertyName("attrs");
            WriteValue(w, e.Attrs);
            w.WritePropertyName("parents");
            w.WriteStartArray();
            foreach (var p in e.Parents)
            {
                WriteUid(w, p);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteUid(Utf8JsonWriter w, GenUid uid)
    {
        w.WriteStartObject();
        w.WriteString("type", uid.Type);
        w.WriteString("id", uid.Id);
        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, object value)
    {
        switch (value)
        {
            case bool v:
                w.WriteBooleanValue(v);
                break;
            case long v:
                w.WriteNumberValue(v);
                break;
            case string v:
                w.WriteStringValue(v);
                break;
            case GenUid v:
                w.WriteStartObject();
                w.WritePropertyName("__entity");
                WriteUid(w, v);
                w.WriteEndObject();
                break;
            case GenExtension v:
                w.WriteStartObject();
                w.WritePropertyName("__extn");
                w.WriteStartObject();
                w.WriteString("fn", v.Function);
                w.WriteString("arg", v.Argument);
                w.WriteEndObject();
                w.WriteEndObject();
                break;
            case List<object> set:
                w.WriteStartArray();
                foreach (var item in set)
                {
                    WriteValue(w, item);
                }

                w.WriteEndArray();
                break;
            case SortedDictionary<string, object> record:
                w.WriteStartObject();
                foreach (var (k, v) in record)
                {
                    w.WritePropertyName(k);
                    WriteValue(w, v);
                }

                w.WriteEndObject();
                break;
            default:
                throw new InvalidOperationException($"no JSON form for {value.GetType().Name}");
        }
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Compact))
        {
            body(w);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
