using System.Text.Json;

namespace Writ.Cedar.Schema;

/// <summary>Reads Cedar's JSON schema format into a <see cref="SchemaFragment"/>, rejecting unknown fields as Cedar does.</summary>
internal static class JsonSchemaReader
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 256 };

    public static SchemaFragment Read(string json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, Options);
        }
        catch (JsonException e) when (e.LineNumber is { } line && e.BytePositionInLine is { } column)
        {
            // System.Text.Json counts from zero and in bytes; the column is exact for ASCII lines.
            throw new SchemaParseException($"invalid JSON schema: {e.Message}", json, (int)line + 1, (int)column + 1);
        }
        catch (JsonException e)
        {
            throw new SchemaParseException($"invalid JSON schema: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            // Thrown for text that is not valid UTF-16, such as an unpaired surrogate.
            throw new SchemaParseException($"invalid JSON schema: {e.Message}", e);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new SchemaParseException("a JSON schema must be an object mapping namespace names to namespace definitions");
            }

            var fragment = new SchemaFragment();
            try
            {
                foreach (var ns in doc.RootElement.EnumerateObject())
                {
                    fragment.Namespaces.Add(ReadNamespace(ns.Name, ns.Value));
                }
            }
            catch (InvalidOperationException e)
            {
                // System.Text.Json throws this for escapes that decode to invalid text, such as "\uD800".
                throw new SchemaParseException($"invalid JSON schema: {e.Message}", e);
            }

            return fragment;
        }
    }

    private static void CheckFields(JsonElement obj, string what, params string[] allowed)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            throw new SchemaParseException($"{what} must be a JSON object");
        }

        foreach (var p in obj.EnumerateObject())
        {
            if (!allowed.Contains(p.Name))
            {
                throw new SchemaParseException($"unknown field `{p.Name}` in {what}, expected one of {string.Join(", ", allowed.Select(a => $"`{a}`"))}");
            }
        }
    }

    private static string GetString(JsonElement e, string what) =>
        e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new SchemaParseException($"{what} must be a string");

    private static List<string> GetStrings(JsonElement e, string what)
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            throw new SchemaParseException($"{what} must be an array of strings");
        }

        return e.EnumerateArray().Select(x => GetString(x, what)).ToList();
    }

    private static SchemaAnnotations ReadAnnotations(JsonElement obj)
    {
        var result = new SchemaAnnotations();
        if (obj.TryGetProperty("annotations", out var a))
        {
            if (a.ValueKind != JsonValueKind.Object)
            {
                throw new SchemaParseException("`annotations` must be an object of strings");
            }

            foreach (var p in a.EnumerateObject())
            {
                result.Add(new(p.Name, p.Value.ValueKind == JsonValueKind.Null ? string.Empty : GetString(p.Value, $"annotation `{p.Name}`")));
            }
        }

        return result;
    }

    private static NamespaceDeclaration ReadNamespace(string name, JsonElement obj)
    {
        CheckFields(obj, $"namespace `{name}`", "commonTypes", "entityTypes", "actions", "annotations");
        var ns = new NamespaceDeclaration { Name = name, Annotations = ReadAnnotations(obj) };
        if (obj.TryGetProperty("commonTypes", out var cts))
        {
            if (cts.ValueKind != JsonValueKind.Object)
            {
                throw new SchemaParseException("`commonTypes` must be an object");
            }

            foreach (var ct in cts.EnumerateObject())
            {
                var type = ReadType(ct.Value, $"common type `{ct.Name}`", allowRequired: false);
                ns.CommonTypes.Add(new CommonTypeDeclaration { Name = ct.Name, Type = type, Annotations = type.Annotations });
            }
        }

        if (!obj.TryGetProperty("entityTypes", out var ets))
        {
            throw new SchemaParseException($"namespace `{name}` is missing `entityTypes`");
        }

        if (ets.ValueKind != JsonValueKind.Object)
        {
            throw new SchemaParseException("`entityTypes` must be an object");
        }

        foreach (var et in ets.EnumerateObject())
        {
            var what = $"entity type `{et.Name}`";
            CheckFields(et.Value, what, "memberOfTypes", "shape", "tags", "enum", "annotations");
            List<string>? choices = null;
            if (et.Value.TryGetProperty("enum", out var en))
            {
                choices = GetStrings(en, $"`enum` of {what}");
                CheckFields(et.Value, $"enumerated {what}", "enum", "annotations");
            }

            ns.EntityTypes.Add(new EntityTypeDeclaration
            {
                Name = et.Name,
                MemberOfTypes = et.Value.TryGetProperty("memberOfTypes", out var m) ? GetStrings(m, $"`memberOfTypes` of {what}") : [],
                Shape = et.Value.TryGetProperty("shape", out var shape) ? ReadType(shape, $"shape of {what}", false) : null,
                Tags = et.Value.TryGetProperty("tags", out var tags) ? ReadType(tags, $"tags of {what}", false) : null,
                Enum = choices,
                Annotations = ReadAnnotations(et.Value),
            });
        }

        if (!obj.TryGetProperty("actions", out var actions))
        {
            throw new SchemaParseException($"namespace `{name}` is missing `actions`");
        }

        if (actions.ValueKind != JsonValueKind.Object)
        {
            throw new SchemaParseException("`actions` must be an object");
        }

        foreach (var a in actions.EnumerateObject())
        {
            ns.Actions.Add(ReadAction(a.Name, a.Value));
        }

        return ns;
    }

    private static ActionDeclaration ReadAction(string name, JsonElement obj)
    {
        var what = $"action `{name}`";
        CheckFields(obj, what, "memberOf", "appliesTo", "attributes", "annotations");
        if (obj.TryGetProperty("attributes", out var attrs) && attrs.ValueKind != JsonValueKind.Null &&
            !(attrs.ValueKind == JsonValueKind.Object && !attrs.EnumerateObject().Any()))
        {
            throw new SchemaParseException($"{what}: action attributes are not supported");
        }

        var memberOf = new List<ActionReference>();
        if (obj.TryGetProperty("memberOf", out var m))
        {
            if (m.ValueKind != JsonValueKind.Array)
            {
                throw new SchemaParseException($"`memberOf` of {what} must be an array");
            }

            foreach (var r in m.EnumerateArray())
            {
                CheckFields(r, $"a `memberOf` entry of {what}", "id", "type");
                if (!r.TryGetProperty("id", out var id))
                {
                    throw new SchemaParseException($"a `memberOf` entry of {what} is missing `id`");
                }

                memberOf.Add(new ActionReference(r.TryGetProperty("type", out var t) ? GetString(t, "`type`") : null, GetString(id, "`id`")));
            }
        }

        AppliesTo? appliesTo = null;
        if (obj.TryGetProperty("appliesTo", out var ap) && ap.ValueKind != JsonValueKind.Null)
        {
            CheckFields(ap, $"`appliesTo` of {what}", "principalTypes", "resourceTypes", "context");
            if (!ap.TryGetProperty("principalTypes", out var pt) || !ap.TryGetProperty("resourceTypes", out var rt))
            {
                throw new SchemaParseException($"`appliesTo` of {what} must have `principalTypes` and `resourceTypes`");
            }

            appliesTo = new AppliesTo
            {
                PrincipalTypes = GetStrings(pt, "`principalTypes`"),
                ResourceTypes = GetStrings(rt, "`resourceTypes`"),
                Context = ap.TryGetProperty("context", out var ctx) ? ReadType(ctx, $"context of {what}", false) : null,
            };
        }

        return new ActionDeclaration { Name = name, MemberOf = memberOf, AppliesTo = appliesTo, Annotations = ReadAnnotations(obj) };
    }

    private static TypeExpression ReadType(JsonElement obj, string what, bool allowRequired)
    {
        if (obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty("type", out var typeProp))
        {
            throw new SchemaParseException($"{what} must be an object with a `type`");
        }

        var type = GetString(typeProp, $"`type` of {what}");
        var extra = allowRequired ? new[] { "type", "annotations", "required" } : ["type", "annotations"];
        var annotations = ReadAnnotations(obj);
        switch (type)
        {
            case "Long" or "String" or "Boolean":
                CheckFields(obj, what, extra);
                return new PrimitiveTypeExpression
                {
                    Primitive = type switch { "Long" => PrimitiveKind.Long, "String" => PrimitiveKind.String, _ => PrimitiveKind.Bool },
                    Annotations = annotations,
                };
            case "Set":
                CheckFields(obj, what, [.. extra, "element"]);
                if (!obj.TryGetProperty("element", out var element))
                {
                    throw new SchemaParseException($"{what}: a `Set` type needs an `element`");
                }

                return new SetTypeExpression { Element = ReadType(element, $"element of {what}", false), Annotations = annotations };
            case "Record":
                CheckFields(obj, what, [.. extra, "attributes", "additionalAttributes"]);
                var attributes = new List<AttributeDeclaration>();
                if (obj.TryGetProperty("attributes", out var attrs))
                {
                    if (attrs.ValueKind != JsonValueKind.Object)
                    {
                        throw new SchemaParseException($"`attributes` of {what} must be an object");
                    }

                    foreach (var a in attrs.EnumerateObject())
                    {
                        var attrType = ReadType(a.Value, $"attribute `{a.Name}`", true);
                        var required = true;
                        if (a.Value.TryGetProperty("required", out var req))
                        {
                            required = req.ValueKind switch
                            {
                                JsonValueKind.True => true,
                                JsonValueKind.False => false,
                                _ => throw new SchemaParseException($"`required` of attribute `{a.Name}` must be a boolean"),
                            };
                        }

                        attributes.Add(new AttributeDeclaration { Name = a.Name, Type = attrType, Required = required, Annotations = attrType.Annotations });
                    }
                }

                var additional = obj.TryGetProperty("additionalAttributes", out var add) && add.ValueKind == JsonValueKind.True;
                return new RecordTypeExpression { Attributes = attributes, AdditionalAttributes = additional, Annotations = annotations };
            case "Entity" or "EntityOrCommon" or "Extension":
                CheckFields(obj, what, [.. extra, "name"]);
                if (!obj.TryGetProperty("name", out var n))
                {
                    throw new SchemaParseException($"{what}: an `{type}` type needs a `name`");
                }

                var name = GetString(n, $"`name` of {what}");
                return type switch
                {
                    "Extension" => new ExtensionTypeExpression { Name = name, Annotations = annotations },
                    "Entity" => new NamedTypeExpression { Name = name, Kind = TypeNameKind.Entity, Annotations = annotations },
                    _ => new NamedTypeExpression { Name = name, Kind = TypeNameKind.EntityOrCommon, Annotations = annotations },
                };
            default:
                CheckFields(obj, what, extra);
                return new NamedTypeExpression { Name = type, Kind = TypeNameKind.Common, Annotations = annotations };
        }
    }
}
