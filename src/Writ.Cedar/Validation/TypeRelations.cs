using Writ.Cedar.Schema;

namespace Writ.Cedar.Validation;

/// <summary>Subtyping, least upper bounds and disjointness of validator types, as Cedar defines them.</summary>
internal static class TypeRelations
{
    public static bool IsSubtype(CedarType t0, CedarType t1, bool strict)
    {
        // Common types are shared instances, so identical types are usually the same object: answer without recursing.
        if (ReferenceEquals(t0, t1))
        {
            return true;
        }

        switch (t0, t1)
        {
            case (NeverType, _):
                return true;
            case (BoolType b0, BoolType b1):
                return b0.Kind == b1.Kind || (b0.Kind != BoolKind.Any && b1.Kind == BoolKind.Any);
            case (LongType, LongType):
            case (StringType, StringType):
                return true;
            case (SetType s0, SetType s1):
                return (s0.Element, s1.Element) switch
                {
                    (not null, not null) => IsSubtype(s0.Element, s1.Element, strict),
                    (null, not null) => false,
                    _ => true,
                };
            case (RecordType r0, RecordType r1):
                return (!r0.Open || r1.Open)
                    && ((r1.Open && !strict && AttributesSubtype(r0, r1, strict)) || (SameKeys(r0, r1) && AttributesSubtype(r0, r1, strict)));
            case (EntityLubType e0, EntityLubType e1):
                if (e0.IsAny)
                {
                    return e1.IsAny;
                }

                if (e1.IsAny)
                {
                    return !strict;
                }

                return strict ? e0.Types!.SetEquals(e1.Types!) : e0.Types!.IsSubsetOf(e1.Types!);
            case (ExtensionType x0, ExtensionType x1):
                return x0.Name == x1.Name;
            default:
                return false;
        }
    }

    private static bool SameKeys(RecordType r0, RecordType r1) =>
        r0.Attributes.Count == r1.Attributes.Count && r0.Attributes.Keys.All(r1.Attributes.ContainsKey);

    private static bool AttributesSubtype(RecordType r0, RecordType r1, bool strict)
    {
        foreach (var (k, a1) in r1.Attributes)
        {
            if (!r0.Attributes.TryGetValue(k, out var a0))
            {
                return false;
            }

            var qualifier = strict ? a0.Required == a1.Required : a0.Required || !a1.Required;
            if (!qualifier || !IsSubtype(a0.Type, a1.Type, strict))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The least upper bound, or null when there is none.</summary>
    public static CedarType? LeastUpperBound(CedarType t0, CedarType t1, bool strict)
    {
        if (IsSubtype(t0, t1, strict))
        {
            return t1;
        }

        if (IsSubtype(t1, t0, strict))
        {
            return t0;
        }

        switch (t0, t1)
        {
            case (BoolType, BoolType):
                return CedarType.Bool;
            case (SetType s0, SetType s1):
                if (s0.Element is null || s1.Element is null)
                {
                    return CedarType.AnySet;
                }

                var element = LeastUpperBound(s0.Element, s1.Element, strict);
                return element is null ? null : CedarType.SetOf(element);
            case (RecordType r0, RecordType r1):
                return RecordLub(r0, r1, strict);
            case (EntityLubType e0, EntityLubType e1):
                if (e0.IsAny && e1.IsAny)
                {
                    return CedarType.AnyEntity;
                }

                if (e0.IsAny || e1.IsAny)
                {
                    return strict ? null : CedarType.AnyEntity;
                }

                if (strict && !e0.Types!.SetEquals(e1.Types!))
                {
                    return null;
                }

                return e0.Union(e1);
            default:
                return null;
        }
    }

    private static RecordType? RecordLub(RecordType r0, RecordType r1, bool strict)
    {
        Dictionary<string, AttributeType>? attrs;
        if (strict)
        {
            if (!SameKeys(r0, r1))
            {
                return null;
            }

            attrs = [];
            foreach (var (k, a0) in r0.Attributes)
            {
                var a1 = r1.Attributes[k];
                var lub = LeastUpperBound(a0.Type, a1.Type, strict: true);
                if (lub is null || a0.Required != a1.Required)
                {
                    return null;
                }

                attrs[k] = new AttributeType(lub, a0.Required);
            }
        }
        else
        {
            attrs = PermissiveAttributesLub(r0.Attributes, r1.Attributes);
        }

        var open = r0.Open || r1.Open || attrs.Count != r0.Attributes.Keys.Union(r1.Attributes.Keys).Count();
        return new RecordType(attrs, open);
    }

    /// <summary>The attributes two records share with compatible types, each required only if required in both.</summary>
    public static Dictionary<string, AttributeType> PermissiveAttributesLub(IReadOnlyDictionary<string, AttributeType> a, IReadOnlyDictionary<string, AttributeType> b)
    {
        var attrs = new Dictionary<string, AttributeType>(StringComparer.Ordinal);
        foreach (var (k, a0) in a)
        {
            if (b.TryGetValue(k, out var a1) && LeastUpperBound(a0.Type, a1.Type, strict: false) is { } lub)
            {
                attrs[k] = new AttributeType(lub, a0.Required && a1.Required);
            }
        }

        return attrs;
    }

    /// <summary>Folds <see cref="LeastUpperBound"/> over the types starting from Never; null when some pair has none.</summary>
    public static CedarType? Reduce(IEnumerable<CedarType> types, bool strict)
    {
        CedarType acc = CedarType.Never;
        foreach (var t in types)
        {
            var next = LeastUpperBound(acc, t, strict);
            if (next is null)
            {
                return null;
            }

            acc = next;
        }

        return acc;
    }

    /// <summary>Whether no value has both types; Cedar only claims this for two sets of named entity types.</summary>
    public static bool AreDisjoint(CedarType t0, CedarType t1) =>
        t0 is EntityLubType { IsAny: false } e0 && t1 is EntityLubType { IsAny: false } e1 && !e0.Types!.Overlaps(e1.Types!);

    /// <summary>The attributes of an entity type union, as the validator sees them.</summary>
    public static IReadOnlyDictionary<string, AttributeType> EntityAttributes(CedarSchema schema, EntityLubType lub)
    {
        IReadOnlyDictionary<string, AttributeType>? acc = null;
        foreach (var t in lub.Types!)
        {
            var attrs = schema.GetEntityType(t)?.Attributes.Attributes ?? new Dictionary<string, AttributeType>();
            acc = acc is null ? attrs : PermissiveAttributesLub(acc, attrs);
        }

        return acc ?? new Dictionary<string, AttributeType>();
    }

    public static AttributeType? LookupAttribute(CedarSchema schema, CedarType type, string attr) => type switch
    {
        RecordType r => r.Attributes.GetValueOrDefault(attr),
        EntityLubType { IsAny: false } e => EntityAttributes(schema, e).GetValueOrDefault(attr),
        _ => null,
    };

    public static bool MayHaveAttribute(CedarSchema schema, CedarType type, string attr)
    {
        switch (type)
        {
            case NeverType:
                return true;
            case EntityLubType { IsAny: true }:
                return true;
            case EntityLubType e:
                // A non-action type missing from the schema counts as having an open attribute record.
                if (e.Types!.Any(t => !t.IsAction && schema.GetEntityType(t) is null))
                {
                    return true;
                }

                return e.Types!.Any(t => schema.GetEntityType(t)?.Attributes.Attributes.ContainsKey(attr) == true);
            case RecordType r:
                return r.Open || r.Attributes.ContainsKey(attr);
            default:
                return false;
        }
    }
}
