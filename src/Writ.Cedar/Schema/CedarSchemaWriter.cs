using System.Text;
using Writ.Cedar.Values;

namespace Writ.Cedar.Schema;

/// <summary>Prints a <see cref="SchemaFragment"/> in the human <c>.cedarschema</c> format.</summary>
internal static class CedarSchemaWriter
{
    public static string Write(SchemaFragment fragment)
    {
        var sb = new StringBuilder();
        foreach (var ns in fragment.Namespaces)
        {
            if (ns.Name.Length == 0)
            {
                WriteDeclarations(sb, ns, string.Empty);
                continue;
            }

            WriteAnnotations(sb, ns.Annotations, string.Empty);
            sb.Append("namespace ").Append(ns.Name).Append(" {\n");
            WriteDeclarations(sb, ns, "  ");
            sb.Append("}\n");
        }

        return sb.ToString();
    }

    private static void WriteDeclarations(StringBuilder sb, NamespaceDeclaration ns, string indent)
    {
        foreach (var ct in ns.CommonTypes)
        {
            WriteAnnotations(sb, ct.Annotations, indent);
            sb.Append(indent).Append("type ").Append(ct.Name).Append(" = ");
            WriteType(sb, ct.Type, indent);
            sb.Append(";\n");
        }

        foreach (var et in ns.EntityTypes)
        {
            WriteAnnotations(sb, et.Annotations, indent);
            sb.Append(indent).Append("entity ").Append(et.Name);
            if (et.Enum is not null)
            {
                sb.Append(" enum [").Append(string.Join(", ", et.Enum.Select(CedarText.Quote))).Append("];\n");
                continue;
            }

            if (et.MemberOfTypes.Count > 0)
            {
                sb.Append(" in [").Append(string.Join(", ", et.MemberOfTypes)).Append(']');
            }

            if (et.Shape is RecordTypeExpression { Attributes.Count: > 0 } record)
            {
                sb.Append(" = ");
                WriteType(sb, record, indent);
            }
            else if (et.Shape is not null and not RecordTypeExpression)
            {
                // The human format only allows a record here; inline a named shape by reference is not expressible.
                throw new SchemaParseException($"entity type `{et.Name}` has a shape that is not a record literal, which the human format cannot express");
            }

            if (et.Tags is not null)
            {
                sb.Append(" tags ");
                WriteType(sb, et.Tags, indent);
            }

            sb.Append(";\n");
        }

        foreach (var action in ns.Actions)
        {
            WriteAnnotations(sb, action.Annotations, indent);
            sb.Append(indent).Append("action ").Append(CedarText.Quote(action.Name));
            if (action.MemberOf.Count > 0)
            {
                sb.Append(" in [")
                    .Append(string.Join(", ", action.MemberOf.Select(r => r.Type is null ? CedarText.Quote(r.Id) : r.Type + "::" + CedarText.Quote(r.Id))))
                    .Append(']');
            }

            if (action.AppliesTo is { PrincipalTypes.Count: > 0, ResourceTypes.Count: > 0 } applies)
            {
                var inner = indent + "  ";
                sb.Append(" appliesTo {\n");
                sb.Append(inner).Append("principal: [").Append(string.Join(", ", applies.PrincipalTypes)).Append("],\n");
                sb.Append(inner).Append("resource: [").Append(string.Join(", ", applies.ResourceTypes)).Append("],\n");
                sb.Append(inner).Append("context: ");
                if (applies.Context is null)
                {
                    sb.Append("{}");
                }
                else
                {
                    WriteType(sb, applies.Context, inner);
                }

                sb.Append('\n').Append(indent).Append('}');
            }

            sb.Append(";\n");
        }
    }

    private static void WriteAnnotations(StringBuilder sb, SchemaAnnotations annotations, string indent)
    {
        foreach (var (key, value) in annotations)
        {
            sb.Append(indent).Append('@').Append(key).Append('(').Append(CedarText.Quote(value)).Append(")\n");
        }
    }

    private static void WriteType(StringBuilder sb, TypeExpression type, string indent)
    {
        switch (type)
        {
            case NamedTypeExpression n:
                sb.Append(n.Name);
                break;
            case PrimitiveTypeExpression p:
                sb.Append(p.Primitive switch
                {
                    PrimitiveKind.Bool => "__cedar::Bool",
                    PrimitiveKind.Long => "__cedar::Long",
                    _ => "__cedar::String",
                });
                break;
            case ExtensionTypeExpression e:
                sb.Append("__cedar::").Append(e.Name);
                break;
            case SetTypeExpression s:
                sb.Append("Set<");
                WriteType(sb, s.Element, indent);
                sb.Append('>');
                break;
            case RecordTypeExpression r:
                if (r.Attributes.Count == 0)
                {
                    sb.Append("{}");
                    break;
                }

                var inner = indent + "  ";
                sb.Append("{\n");
                for (var i = 0; i < r.Attributes.Count; i++)
                {
                    var a = r.Attributes[i];
                    WriteAnnotations(sb, a.Annotations, inner);
                    sb.Append(inner).Append(CedarText.IsValidNameSegment(a.Name) ? a.Name : CedarText.Quote(a.Name));
                    if (!a.Required)
                    {
                        sb.Append('?');
                    }

                    sb.Append(": ");
                    WriteType(sb, a.Type, inner);
                    sb.Append(i + 1 < r.Attributes.Count ? ",\n" : "\n");
                }

                sb.Append(indent).Append('}');
                break;
        }
    }
}
