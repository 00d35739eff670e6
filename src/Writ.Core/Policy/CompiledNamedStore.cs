using System.Text.Json;
using Writ.Cedar.Authorization;
using Writ.Cedar.Json;
using Writ.Cedar.Schema;
using Writ.Cedar.Values;

namespace Writ.Core.Policy;

/// <summary>
/// A named store version ready to decide: its schema, policies and entities parsed once. The entities' JSON is kept
/// by reference so a request's <c>properties</c> can be merged over an entity's stored attributes and re-read
/// against the schema.
/// </summary>
public sealed class CompiledNamedStore
{
    private CompiledNamedStore(string name, long version, CedarSchema? schema, PolicySet policies, EntityStore entities, Dictionary<EntityUid, JsonElement> entityJson)
    {
        Name = name;
        Version = version;
        Schema = schema;
        Policies = policies;
        Entities = entities;
        EntityJsonByUid = entityJson;
    }

    /// <summary>The store name.</summary>
    public string Name { get; }

    /// <summary>The version compiled.</summary>
    public long Version { get; }

    /// <summary>The schema, or null when none was put yet (then entities and context are read without one).</summary>
    public CedarSchema? Schema { get; }

    /// <summary>The policies.</summary>
    public PolicySet Policies { get; }

    /// <summary>The stored entities (with the schema's action entities).</summary>
    public EntityStore Entities { get; }

    /// <summary>Each stored entity's JSON object.</summary>
    public IReadOnlyDictionary<EntityUid, JsonElement> EntityJsonByUid { get; }

    /// <summary>Parses a schema in the given format; null and an error message when it does not parse.</summary>
    public static CedarSchema? ParseSchema(string text, string format, out string? error)
    {
        try
        {
            error = null;
            return format == NamedStoreFormats.Json ? CedarSchema.ParseJson(text) : CedarSchema.Parse(text);
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException or InvalidOperationException or Writ.Cedar.Parsing.CedarParseException or CedarJsonException)
        {
            error = e.Message;
            return null;
        }
    }

    /// <summary>Reads entities JSON (an array), against the schema when there is one; throws on bad data.</summary>
    public static List<Entity> ReadEntities(JsonElement entities, CedarSchema? schema) =>
        schema is not null ? [.. SchemaEntities.ParseEntities(entities, schema)] : EntityJson.ReadEntities(entities);

    /// <summary>Compiles a stored version; the result says what is wrong when it cannot be used.</summary>
    public static (CompiledNamedStore? Store, PolicyCompilation Policies, string? EntityError) Compile(NamedPolicyStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        CedarSchema? schema = null;
        if (store.Schema is not null)
        {
            schema = ParseSchema(store.Schema, store.SchemaFormat, out var schemaError);
            if (schema is null)
            {
                return (null, new PolicyCompilation(null, [], []), "the schema does not parse: " + schemaError);
            }
        }

        var compiled = PolicyCompiler.Compile(store.Policies, schema);
        if (!compiled.Succeeded)
        {
            return (null, compiled, null);
        }

        try
        {
            using var doc = JsonDocument.Parse(store.Entities, new JsonDocumentOptions { MaxDepth = ValueJson.MaxDepth });
            var entities = ReadEntities(doc.RootElement, schema);
            var json = new Dictionary<EntityUid, JsonElement>();
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("uid", out var uid))
                {
                    json[ValueJson.ReadEntityUid(uid, "uid")] = item.Clone();
                }
            }

            var entityStore = new EntityStore(entities);
            ActivePolicySet.Warm(compiled.Policies!);
            return (new CompiledNamedStore(store.Name, store.Version, schema, compiled.Policies!, entityStore, json), compiled, null);
        }
        catch (Exception e) when (e is JsonException or CedarJsonException or ArgumentException or FormatException or InvalidOperationException or EntityLimitException)
        {
            return (null, compiled, e.Message);
        }
    }
}

/// <summary>The schema formats a named store accepts.</summary>
public static class NamedStoreFormats
{
    /// <summary>Cedar's human-readable schema format.</summary>
    public const string Cedar = "cedar";

    /// <summary>Cedar's JSON schema format.</summary>
    public const string Json = "json";
}
