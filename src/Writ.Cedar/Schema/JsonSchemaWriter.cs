using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Writ.Cedar.Schema;

/// <summary>Writes a <see cref="SchemaFragment"/> in Cedar's JSON schema format.</summary>
internal static class JsonSchemaWriter
{
    public static string Write(SchemaFragment fragment)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            foreach (var ns in fragment.Namespaces)
            {
                w.WritePropertyName(ns.Name);
                WriteNamespace(w, ns);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteAnnotations(Utf8JsonWriter w, SchemaAnnotations annotations)
    {
        if (annotations.Count == 0)
        {
            return;
        }

        w.WriteStartObject("annotations");
        foreach (var (k, v) in annotations)
        {
            w.WriteString(k, v);
        }

        w.WriteEndObject();
    }

    private static void WriteNamespace(Utf8JsonWriter w, NamespaceDeclaration ns)
    {
        w.WriteStartObject();
        WriteAnnotations(w, ns.Annotations);
        if (ns.CommonTypes.Count > 0)
        {
            w.WriteStartObject("commonTypes");
            foreach (var ct in ns.CommonTypes)
            {
                w.WritePropertyName(ct.Name);
                WriteType(w, ct.Type, ct.Annotations, null);
            }

            w.WriteEndObject();
        }

        w.WriteStartObject("entityTypes");
        foreach (var et in ns.EntityTypes)
        {
            w.WriteStartObject(et.Name);
            WriteAnnotations(w, et.Annotations);
            if (et.Enum is not null)
            {
                w.WriteStartArray("enum");
                foreach (var c in et.Enum)
                {
                    w.WriteStringValue(c);
                }

                w.WriteEndArray();
            }

            if (et.MemberOfTypes.Count > 0)
            {
                w.WriteStartArray("memberOfTypes");
                foreach (var m in et.MemberOfTypes)
                {
                    w.WriteStringValue(m);
                }

                w.WriteEndArray();
            }

            if (et.Shape is not null)
            {
                w.WritePropertyName("shape");
                WriteType(w, et.Shape, et.Shape.Annotations, null);
            }

            if (et.Tags is not null)
            {
                w.WritePropertyName("tags");
                WriteType(w, et.Tags, et.Tags.Annotations, null);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteStartObject("actions");
        foreach (var a in ns.Actions)
        {
            w.WriteStartObject(a.Name);
            WriteAnnotations(w, a.Annotations);
            if (a.MemberOf.Count > 0)
            {
                w.WriteStartArray("memberOf");
                foreach (var r in a.MemberOf)
                {
                    w.WriteStartObject();
                    w.WriteString("id", r.Id);
                    if (r.Type is not null)
                    {
                        w.WriteString("type", r.Type);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            if (a.AppliesTo is { } applies)
            {
                w.WriteStartObject("appliesTo");
                w.WriteStartArray("principalTypes");
                foreach (var p in applies.PrincipalTypes)
                {
                    w.WriteStringValue(p);
                }

                w.WriteEndArray();
                w.WriteStartArray("resourceTypes");
                foreach (var r in applies.ResourceTypes)
                {
                    w.WriteStringValue(r);
                }

                w.WriteEndArray();
                if (applies.Context is not null)
                {
                    w.WritePropertyName("context");
                    WriteType(w, applies.Context, applies.Context.Annotations, null);
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteType(Utf8JsonWriter w, TypeExpression type, SchemaAnnotations annotations, bool? required)
    {
        w.WriteStartObject();
        switch (type)
        {
            case PrimitiveTypeExpression p:
                w.WriteString("type", p.Primitive switch { PrimitiveKind.Bool => "Boolean", PrimitiveKind.Long => "Long", _ => "String" });
                break;
            case ExtensionTypeExpression e:
                w.WriteString("type", "Extension");
                w.WriteString("name", e.Name);
                break;
            case NamedTypeExpression n when n.Kind == TypeNameKind.Common:
                w.WriteString("type", n.Name);
                break;
            case NamedTypeExpression n:
                w.WriteString("type", n.Kind == TypeNameKind.Entity ? "Entity" : "EntityOrCommon");
                w.WriteString("name", n.Name);
                break;
            case SetTypeExpression s:
                w.WriteString("type", "Set");
                w.WritePropertyName("element");
                WriteType(w, s.Element, s.Element.Annotations, null);
                break;
            case RecordTypeExpression r:
                w.WriteString("type", "Record");
                w.WriteStartObject("attributes");
                foreach (var a in r.Attributes)
                {
                    w.WritePropertyName(a.Name);
                    WriteType(w, a.Type, a.Annotations, a.Required);
                }

                w.WriteEndObject();
                if (r.AdditionalAttributes)
                {
                    w.WriteBoolean("additionalAttributes", true);
                }

                break;
        }

        if (required == false)
        {
            w.WriteBoolean("required", false);
        }

        WriteAnnotations(w, annotations);
        w.WriteEndObject();
    }
}
