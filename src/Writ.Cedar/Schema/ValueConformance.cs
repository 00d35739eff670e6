using Writ.Cedar.Values;

namespace Writ.Cedar.Schema;

/// <summary>Whether a value has a schema type, as Cedar's conformance checks decide.</summary>
public static class ValueConformance
{
    /// <summary>Whether <paramref name="value"/> has type <paramref name="type"/> (entity references need declared, valid targets).</summary>
    public static bool Conforms(Value value, CedarType type, CedarSchema schema)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(type);
        switch (type)
        {
            case BoolType b:
                return value is BoolValue bv && (b.Kind == BoolKind.Any || bv.Value == (b.Kind == BoolKind.True));
            case LongType:
                return value is LongValue;
            case StringType:
                return value is StringValue;
            case SetType s:
                return value is SetValue set && (s.Element is null || set.Items.All(i => Conforms(i, s.Element, schema)));
            case RecordType r:
                if (value is not RecordValue record)
                {
                    return false;
                }

                foreach (var (k, v) in record.Fields)
                {
                    if (r.Attributes.TryGetValue(k, out var attr) ? !Conforms(v, attr.Type, schema) : !r.Open)
                    {
                        return false;
                    }
                }

                return r.Attributes.All(a => !a.Value.Required || record.ContainsKey(a.Key));
            case EntityLubType e:
                return value is EntityUid uid && (e.Types is null || e.Types.Contains(uid.Type))
                    && (schema.GetEntityType(uid.Type) is not { EnumChoices: { } choices } || choices.Contains(uid.Id))
                    && (!uid.Type.IsAction || schema.GetAction(uid) is not null);
            case ExtensionType x:
                return SchemaValueParser.ExtensionTypeName(value) == x.Name;
            default:
                return false;
        }
    }
}
