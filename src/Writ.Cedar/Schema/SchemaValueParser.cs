using System.Text.Json;
using Writ.Cedar.Authorization;
using Writ.Cedar.Evaluation;
using Writ.Cedar.Extensions;
using Writ.Cedar.Values;

namespace Writ.Cedar.Schema;

/// <summary>
/// Reads a JSON value as the type the schema expects, as Cedar's schema-based parsing does: entity references may
/// omit <c>__entity</c>, extension values may omit <c>__extn</c> (a plain string is given to the type's constructor),
/// and records must have exactly the declared attributes.
/// </summary>
internal sealed class SchemaValueParser
{
    private const int MaxDepth = 128;

    private readonly bool _rejectDuplicateKeys;

    private SchemaValueParser(bool rejectDuplicateKeys) => _rejectDuplicateKeys = rejectDuplicateKeys;

    /// <summary>For entity data: Cedar rejects duplicate keys in attribute and tag values.</summary>
    public static SchemaValueParser ForEntities { get; } = new(rejectDuplicateKeys: true);

    /// <summary>For contexts: Cedar reads them as plain JSON values, where a repeated key keeps its last value.</summary>
    public static SchemaValueParser ForContext { get; } = new(rejectDuplicateKeys: false);

    public Value Parse(JsonElement json, CedarType expected, string path) => Parse(json, expected, path, 0);

    private static SchemaConformanceException Mismatch(string path, CedarType expected, JsonElement json) =>
        new($"{path}: expected a value of type {expected}, but found {Describe(json)}");

    private static string Describe(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "a set",
        JsonValueKind.Null => "null",
        _ when json.TryGetProperty("__entity", out _) => "an entity reference",
        _ when json.TryGetProperty("__extn", out _) => "an extension value",
        _ => "a record",
    };

    private Value Parse(JsonElement json, CedarType expected, string path, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new SchemaConformanceException($"{path}: value nested more than {MaxDepth} levels deep");
        }

        switch (expected)
        {
            case BoolType or LongType or StringType:
                // Cedar reads primitives without the schema; their types are checked afterwards, by entity
                // conformance or by request validation.
                return ParseUntyped(json, path, depth + 1);
            case SetType set:
                if (json.ValueKind != JsonValueKind.Array)
                {
                    throw Mismatch(path, expected, json);
                }

                var items = new List<Value>();
                var i = 0;
                foreach (var item in json.EnumerateArray())
                {
                    items.Add(set.Element is null ? ParseUntyped(item, $"{path}[{i}]", depth + 1) : Parse(item, set.Element, $"{path}[{i}]", depth + 1));
                    i++;
                }

                return new SetValue(items);
            case RecordType record:
                return ParseRecord(json, record, path, depth);
            case EntityLubType:
                return ParseEntityReference(json, path, implicitAllowed: true) ?? throw Mismatch(path, expected, json);
            case ExtensionType ext:
                return ParseExtension(json, path, ext.Name, depth);
            default:
                return ParseUntyped(json, path, depth + 1);
        }
    }

    /// <summary>Reads a record with exactly the attributes of <paramref name="type"/> (optional ones may be absent).</summary>
    public RecordValue ParseRecord(JsonElement json, RecordType type, string path) => ParseRecord(json, type, path, 0);

    private RecordValue ParseRecord(JsonElement json, RecordType type, string path, int depth)
    {
        if (json.ValueKind != JsonValueKind.Object || json.TryGetProperty("__entity", out _) || json.TryGetProperty("__extn", out _))
        {
            throw Mismatch(path, type, json);
        }

        var fields = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var (name, element) in LastOccurrences(json))
        {
            var attrPath = $"{path}.{name}";
            if (!type.Attributes.TryGetValue(name, out var attr))
            {
                if (!type.Open)
                {
                    throw new SchemaConformanceException($"{attrPath}: attribute `{name}` is not declared in the schema");
                }

                fields[name] = ParseUntyped(element, attrPath, depth + 1);
                continue;
            }

            fields[name] = Parse(element, attr.Type, attrPath, depth + 1);
        }

        foreach (var (name, attr) in type.Attributes)
        {
            if (attr.Required && !fields.ContainsKey(name))
            {
                throw new SchemaConformanceException($"{path}: required attribute `{name}` is missing");
            }
        }

        return new RecordValue(fields);
    }

    /// <summary>Reads <c>{"__entity": {...}}</c>, or, when allowed, a bare <c>{"type": ..., "id": ...}</c>.</summary>
    public static EntityUid? ParseEntityReference(JsonElement json, string path, bool implicitAllowed)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        JsonElement target;
        if (json.TryGetProperty("__entity", out var inner))
        {
            target = inner;
        }
        else if (implicitAllowed && json.TryGetProperty("type", out _) && json.TryGetProperty("id", out _))
        {
            target = json;
        }
        else
        {
            return null;
        }

        if (target.ValueKind != JsonValueKind.Object ||
            !target.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String ||
            !target.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
        {
            throw new SchemaConformanceException($"{path}: an entity reference needs a string `type` and a string `id`");
        }

        var typeName = type.GetString()!;
        if (!EntityType.IsValidName(typeName))
        {
            throw new SchemaConformanceException($"{path}: `{typeName}` is not a valid entity type name");
        }

        return new EntityUid(typeName, id.GetString()!);
    }

    private Value ParseExtension(JsonElement json, string path, string extensionType, int depth)
    {
        if (json.ValueKind == JsonValueKind.Object)
        {
            var call = json.TryGetProperty("__extn", out var inner) ? inner : json;
            if (call.ValueKind == JsonValueKind.Object && call.TryGetProperty("fn", out _))
            {
                return ParseExtensionCall(call, path, depth);
            }
        }

        // Cedar's implicit constructor: the value is the argument of the type's constructor.
        if (json.ValueKind != JsonValueKind.String)
        {
            throw new SchemaConformanceException($"{path}: expected a value of type {extensionType}, but found {Describe(json)}");
        }

        var constructor = extensionType == "ipaddr" ? "ip" : extensionType;
        return ExtensionFunctions.Construct(constructor, json.GetString()!, out var error)
            ?? throw new SchemaConformanceException($"{path}: {error}");
    }

    private Value ParseExtensionCall(JsonElement call, string path, int depth)
    {
        if (!call.TryGetProperty("fn", out var fn) || fn.ValueKind != JsonValueKind.String)
        {
            throw new SchemaConformanceException($"{path}: an extension value needs a string `fn`");
        }

        var args = new List<Value>();
        if (call.TryGetProperty("arg", out var arg))
        {
            args.Add(ParseUntyped(arg, path, depth + 1));
        }
        else if (call.TryGetProperty("args", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            args.AddRange(list.EnumerateArray().Select(a => ParseUntyped(a, path, depth + 1)));
        }
        else
        {
            throw new SchemaConformanceException($"{path}: an extension value needs `arg` or `args`");
        }

        var name = fn.GetString()!;
        var function = ExtensionFunctions.Find(name) ?? throw new SchemaConformanceException($"{path}: unknown extension function `{name}`");
        var placeholder = new EntityUid("__cedar::internal::Placeholder", string.Empty);
        var ctx = new EvalContext(new Request(placeholder, placeholder, placeholder), EntityStore.Empty);
        return function([.. args], ctx) ?? throw new SchemaConformanceException($"{path}: {ctx.Error?.Message ?? "invalid extension value"}");
    }

    /// <summary>Reads a value without type information: escapes are needed for entities and extension values.</summary>
    private Value ParseUntyped(JsonElement json, string path, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new SchemaConformanceException($"{path}: value nested more than {MaxDepth} levels deep");
        }

        switch (json.ValueKind)
        {
            case JsonValueKind.True:
                return BoolValue.Of(true);
            case JsonValueKind.False:
                return BoolValue.Of(false);
            case JsonValueKind.Number:
                return json.TryGetInt64(out var n) ? LongValue.Of(n) : throw new SchemaConformanceException($"{path}: {json.GetRawText()} is not a 64-bit integer");
            case JsonValueKind.String:
                return new StringValue(json.GetString()!);
            case JsonValueKind.Array:
                return new SetValue(json.EnumerateArray().Select((e, i) => ParseUntyped(e, $"{path}[{i}]", depth + 1)).ToList());
            case JsonValueKind.Object:
                if (json.TryGetProperty("__entity", out _))
                {
                    return ParseEntityReference(json, path, implicitAllowed: false)!;
                }

                if (json.TryGetProperty("__extn", out var extn))
                {
                    return ParseExtensionCall(extn, path, depth);
                }

                var fields = new Dictionary<string, Value>(StringComparer.Ordinal);
                foreach (var (name, element) in LastOccurrences(json))
                {
                    fields[name] = ParseUntyped(element, $"{path}.{name}", depth + 1);
                }

                return new RecordValue(fields);
            default:
                throw new SchemaConformanceException($"{path}: null is not a Cedar value");
        }
    }

    /// <summary>An object's members; a repeated key is an error for entity data and keeps its last value otherwise, as in Cedar.</summary>
    private List<(string Name, JsonElement Value)> LastOccurrences(JsonElement json)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var members = new List<(string Name, JsonElement Value)>();
        foreach (var p in json.EnumerateObject())
        {
            if (index.TryGetValue(p.Name, out var at))
            {
                members[at] = _rejectDuplicateKeys
                    ? throw new SchemaConformanceException($"duplicate key `{p.Name}` in a record")
                    : (p.Name, p.Value);
            }
            else
            {
                index[p.Name] = members.Count;
                members.Add((p.Name, p.Value));
            }
        }

        return members;
    }

    internal static string? ExtensionTypeName(Value value) => value.Kind switch
    {
        ValueKind.Decimal => "decimal",
        ValueKind.IpAddr => "ipaddr",
        ValueKind.Datetime => "datetime",
        ValueKind.Duration => "duration",
        _ => null,
    };
}
