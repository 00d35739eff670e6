using System.Text;
using System.Text.Json;
using Writ.Cedar.Authorization;
using Writ.Cedar.Evaluation;
using Writ.Cedar.Extensions;
using Writ.Cedar.Values;

namespace Writ.Cedar.Json;

/// <summary>
/// Reads and writes Cedar values in Cedar's JSON value format: JSON scalars, arrays as sets, objects as records,
/// <c>{"__entity": {"type","id"}}</c> for entities and <c>{"__extn": {"fn", "arg"}}</c> or
/// <c>{"__extn": {"fn", "args": [...]}}</c> for extension values. A <see cref="JsonValueHint"/> enables the
/// implicit forms a schema allows.
/// </summary>
public static class ValueJson
{
    /// <summary>The JSON nesting allowed when reading Cedar JSON documents.</summary>
    public const int MaxDepth = 640;

    internal static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    /// <summary>Parses a JSON text as a value.</summary>
    public static Value Parse(string json, JsonValueHint? hint = null)
        => JsonGuard.Run(() => ParseCore(json, hint));

    internal static Value ParseCore(string json, JsonValueHint? hint = null)
    {
        using var doc = ParseDocument(json);
        return ReadCore(doc.RootElement, hint, "value");
    }

    /// <summary>Reads a value; <paramref name="where"/> names the location for error messages.</summary>
    public static Value Read(JsonElement e, JsonValueHint? hint = null, string where = "value")
        => JsonGuard.Run(() => ReadCore(e, hint, where));

    internal static Value ReadCore(JsonElement e, JsonValueHint? hint = null, string where = "value")
    {
        hint ??= JsonValueHint.Any;
        switch (hint.Kind)
        {
            case JsonHintKind.Entity:
                if (e.ValueKind == JsonValueKind.Object)
                {
                    return ReadEntityUidCore(e, where);
                }

                break;
            case JsonHintKind.Extension:
                return ReadExtension(e, hint, where);
            case JsonHintKind.Set when e.ValueKind == JsonValueKind.Array:
                {
                    var items = new List<Value>();
                    foreach (var item in e.EnumerateArray())
                    {
                        items.Add(ReadCore(item, hint.Element, where));
                    }

                    return new SetValue(items);
                }

            case JsonHintKind.Record when e.ValueKind == JsonValueKind.Object && !IsEscape(e):
                return ReadRecord(e, hint, where);
            default:
                break;
        }

        return ReadPlain(e, where);
    }

    /// <summary>Reads an entity reference: <c>{"type","id"}</c> or <c>{"__entity": {"type","id"}}</c>.</summary>
    public static EntityUid ReadEntityUid(JsonElement e, string where = "entity reference")
        => JsonGuard.Run(() => ReadEntityUidCore(e, where));

    internal static EntityUid ReadEntityUidCore(JsonElement e, string where = "entity reference")
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new CedarJsonException($"{where}: expected an entity reference object with \"type\" and \"id\", found {Describe(e)}");
        }

        foreach (var p in e.EnumerateObject())
        {
            if (p.NameEquals("__entity"))
            {
                return ReadTypeAndId(p.Value, where);
            }

            if (p.NameEquals("__expr"))
            {
                throw new CedarJsonException($"{where}: the __expr escape is no longer supported");
            }
        }

        return ReadTypeAndId(e, where);
    }

    private static EntityUid ReadTypeAndId(JsonElement e, string where)
    {
        JsonElement? type = null, id = null;
        if (e.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in e.EnumerateObject())
            {
                if (p.NameEquals("type"))
                {
                    type = p.Value;
                }
                else if (p.NameEquals("id"))
                {
                    id = p.Value;
                }
            }
        }

        if (type is not { ValueKind: JsonValueKind.String } t || id is not { ValueKind: JsonValueKind.String } i)
        {
            throw new CedarJsonException($"{where}: expected an entity reference with string fields \"type\" and \"id\"");
        }

        var typeName = t.GetString()!;
        if (!EntityType.IsValidName(typeName))
        {
            throw new CedarJsonException($"{where}: invalid entity type name {CedarText.Quote(typeName)}");
        }

        return new EntityUid(new EntityType(typeName), i.GetString()!);
    }

    private static bool IsEscape(JsonElement e)
    {
        var count = 0;
        string? name = null;
        foreach (var p in e.EnumerateObject())
        {
            count++;
            name = p.Name;
        }

        return count == 1 && name is "__entity" or "__extn" or "__expr";
    }

    private static Value ReadPlain(JsonElement e, string where)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.True:
                return BoolValue.True;
            case JsonValueKind.False:
                return BoolValue.False;
            case JsonValueKind.Number:
                return e.TryGetInt64(out var l)
                    ? LongValue.Of(l)
                    : throw new CedarJsonException($"{where}: number {e.GetRawText()} is not a 64-bit integer");
            case JsonValueKind.String:
                return new StringValue(e.GetString()!);
            case JsonValueKind.Array:
                {
                    var items = new List<Value>();
                    foreach (var item in e.EnumerateArray())
                    {
                        items.Add(ReadPlain(item, where));
                    }

                    return new SetValue(items);
                }

            case JsonValueKind.Object:
                return ReadObject(e, where);
            case JsonValueKind.Null:
                throw new CedarJsonException($"{where}: null is not a Cedar value");
            default:
                throw new CedarJsonException($"{where}: unexpected JSON {e.ValueKind}");
        }
    }

    private static Value ReadObject(JsonElement e, string where)
    {
        JsonProperty? only = null;
        var count = 0;
        foreach (var p in e.EnumerateObject())
        {
            count++;
            only = p;
        }

        if (count == 1)
        {
            var p = only!.Value;
            var v = p.Value;
            switch (p.Name)
            {
                case "__entity" when v.ValueKind == JsonValueKind.Object && CountProperties(v) >= 2
                                    && v.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
                                    && v.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String:
                    return ReadTypeAndId(v, where);
                case "__extn" when v.ValueKind == JsonValueKind.Object && CountProperties(v) >= 2
                                  && v.TryGetProperty("fn", out var fn) && fn.ValueKind == JsonValueKind.String
                                  && (v.TryGetProperty("arg", out _) || (v.TryGetProperty("args", out var a) && a.ValueKind == JsonValueKind.Array)):
                    return ReadExtnCall(v, null, where);
                case "__expr" when v.ValueKind == JsonValueKind.String:
                    throw new CedarJsonException($"{where}: the __expr escape is no longer supported");
                default:
                    break;
            }
        }

        return ReadRecord(e, JsonValueHint.Any, where);
    }

    private static int CountProperties(JsonElement e)
    {
        var n = 0;
        foreach (var unused in e.EnumerateObject())
        {
            n++;
        }

        return n;
    }

    private static RecordValue ReadRecord(JsonElement e, JsonValueHint hint, string where)
    {
        var dict = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            JsonValueHint? attrHint = null;
            hint.Attributes?.TryGetValue(p.Name, out attrHint);
            var v = ReadCore(p.Value, attrHint, where);
            if (!dict.TryAdd(p.Name, v))
            {
                throw new CedarJsonException($"{where}: duplicate key {CedarText.Quote(p.Name)}");
            }
        }

        return RecordValue.FromOwned(dict);
    }

    private static Value ReadExtension(JsonElement e, JsonValueHint hint, string where)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            if (e.TryGetProperty("__extn", out var inner) && CountProperties(e) == 1)
            {
                return ReadExtnCall(inner, hint, where);
            }

            if (e.TryGetProperty("fn", out _))
            {
                return ReadExtnCall(e, hint, where);
            }

            if (e.TryGetProperty("__expr", out _))
            {
                throw new CedarJsonException($"{where}: the __expr escape is no longer supported");
            }
        }

        // Implicit constructor: the value is the single argument of the type's constructor.
        var constructor = ConstructorFor(hint.ExtensionName);
        if (constructor is null)
        {
            throw new CedarJsonException($"{where}: no constructor for extension type {hint.ExtensionName}");
        }

        if (e.ValueKind != JsonValueKind.String)
        {
            return ReadPlain(e, where);
        }

        return ExtensionFunctions.Construct(constructor, e.GetString()!, out var error)
            ?? throw new CedarJsonException($"{where}: {error}");
    }

    /// <summary>The constructor function of an extension type name.</summary>
    public static string? ConstructorFor(string? extensionType) => extensionType switch
    {
        "ipaddr" or "ip" => "ip",
        "decimal" => "decimal",
        "datetime" => "datetime",
        "duration" => "duration",
        _ => null,
    };

    private static Value ReadExtnCall(JsonElement e, JsonValueHint? hint, string where)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("fn", out var fnEl) || fnEl.ValueKind != JsonValueKind.String)
        {
            throw new CedarJsonException($"{where}: an extension value needs a string \"fn\"");
        }

        var fn = fnEl.GetString()!;
        var function = ExtensionFunctions.Find(fn) ?? throw new CedarJsonException($"{where}: unknown extension function {CedarText.Quote(fn)}");
        List<Value> args = [];
        if (e.TryGetProperty("arg", out var arg))
        {
            args.Add(ReadArg(arg, fn, 0, where));
        }
        else if (e.TryGetProperty("args", out var argList) && argList.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var a in argList.EnumerateArray())
            {
                args.Add(ReadArg(a, fn, i++, where));
            }
        }
        else
        {
            throw new CedarJsonException($"{where}: an extension value needs \"arg\" or \"args\"");
        }

        _ = hint;
        var ctx = new EvalContext(ConstantRequest, EntityStore.Empty);
        return function([.. args], ctx)
            ?? throw new CedarJsonException($"{where}: {ctx.Error?.Message ?? "extension function failed"}");
    }

    private static readonly Request ConstantRequest = new(new EntityUid("__json", string.Empty), new EntityUid("__json", string.Empty), new EntityUid("__json", string.Empty));

    // Arguments of datetime/duration-taking functions may themselves be written as strings (implicit constructors).
    private static Value ReadArg(JsonElement a, string fn, int index, string where)
    {
        var expected = (fn, index) switch
        {
            ("offset", 0) or ("durationSince", _) or ("toDate", 0) or ("toTime", 0) => "datetime",
            ("offset", 1) or ("toMilliseconds", 0) or ("toSeconds", 0) or ("toMinutes", 0) or ("toHours", 0) or ("toDays", 0) => "duration",
            ("lessThan" or "lessThanOrEqual" or "greaterThan" or "greaterThanOrEqual", _) => "decimal",
            ("isIpv4" or "isIpv6" or "isLoopback" or "isMulticast" or "isInRange", _) => "ipaddr",
            _ => null,
        };
        return expected is null ? ReadCore(a, null, where) : ReadCore(a, JsonValueHint.Extension(expected), where);
    }

    internal static JsonDocument ParseDocument(string json)
    {
        try
        {
            return JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new CedarJsonException("invalid JSON: " + ex.Message, ex);
        }
    }

    internal static JsonDocument ParseDocument(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            return JsonDocument.Parse(utf8, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new CedarJsonException("invalid JSON: " + ex.Message, ex);
        }
    }

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Array => "an array",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "an object",
    };

    /// <summary>Writes a value in Cedar JSON (entities and extension values escaped).</summary>
    public static void Write(Utf8JsonWriter w, Value v)
    {
        switch (v)
        {
            case BoolValue b:
                w.WriteBooleanValue(b.Value);
                break;
            case LongValue l:
                w.WriteNumberValue(l.Value);
                break;
            case StringValue s:
                w.WriteStringValue(s.Value);
                break;
            case EntityUid u:
                w.WriteStartObject();
                w.WritePropertyName("__entity");
                WriteEntityUid(w, u);
                w.WriteEndObject();
                break;
            case SetValue set:
                w.WriteStartArray();
                foreach (var item in set.Items)
                {
                    Write(w, item);
                }

                w.WriteEndArray();
                break;
            case RecordValue r:
                w.WriteStartObject();
                foreach (var key in r.SortedKeys)
                {
                    w.WritePropertyName(key);
                    Write(w, r.Fields[key]);
                }

                w.WriteEndObject();
                break;
            case DecimalValue d:
                WriteExtn(w, "decimal", d.ToDecimalString());
                break;
            case IpAddrValue ip:
                WriteExtn(w, "ip", ip.ToAddressString());
                break;
            case DurationValue du:
                WriteExtn(w, "duration", du.ToDurationString());
                break;
            case DatetimeValue dt:
                if (dt.ToIsoString() is { } iso)
                {
                    WriteExtn(w, "datetime", iso);
                }
                else
                {
                    w.WriteStartObject();
                    w.WritePropertyName("__extn");
                    w.WriteStartObject();
                    w.WriteString("fn", "offset");
                    w.WritePropertyName("args");
                    w.WriteStartArray();
                    Write(w, new DatetimeValue(0));
                    Write(w, new DurationValue(dt.Milliseconds));
                    w.WriteEndArray();
                    w.WriteEndObject();
                    w.WriteEndObject();
                }

                break;
            default:
                throw new ArgumentException("unknown value kind", nameof(v));
        }
    }

    /// <summary>Writes <c>{"type": ..., "id": ...}</c>.</summary>
    public static void WriteEntityUid(Utf8JsonWriter w, EntityUid u)
    {
        w.WriteStartObject();
        w.WriteString("type", u.Type.Name);
        w.WriteString("id", u.Id);
        w.WriteEndObject();
    }

    /// <summary>The value as a JSON string.</summary>
    public static string ToJson(Value v, bool indented = false)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = indented, MaxDepth = 0 }))
        {
            Write(w, v);
        }

        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static void WriteExtn(Utf8JsonWriter w, string fn, string arg)
    {
        w.WriteStartObject();
        w.WritePropertyName("__extn");
        w.WriteStartObject();
        w.WriteString("fn", fn);
        w.WriteString("arg", arg);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
