using Writ.Cedar.Values;

namespace Writ.Cedar.Schema;

/// <summary>
/// Turns a <see cref="SchemaFragment"/> into a <see cref="CedarSchema"/>: resolves names the way Cedar does
/// (common types before entity types, the declaring namespace before the empty one, builtins through
/// <c>__cedar</c> and their empty-namespace aliases), inlines common types and closes the hierarchies.
/// </summary>
internal sealed class SchemaResolver
{
    internal static readonly string[] ExtensionTypeNames = ["ipaddr", "decimal", "datetime", "duration"];
    private static readonly string[] PrimitiveNames = ["Bool", "Long", "String"];
    private const int MaxCommonTypeDepth = 256;

    private readonly Dictionary<string, (TypeExpression Type, string Namespace, SourcePosition? Position)> _common = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (EntityTypeDeclaration Decl, string Namespace)> _entities = new(StringComparer.Ordinal);
    private readonly Dictionary<EntityUid, (ActionDeclaration Decl, string Namespace)> _actions = [];
    private readonly HashSet<string> _actionTypes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _emptyNamespaceAliases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CedarType> _resolvedCommon = new(StringComparer.Ordinal);
    private readonly HashSet<string> _resolving = new(StringComparer.Ordinal);

    private readonly SchemaOptions _options;
    private string? _source;
    private SourcePosition? _at;

    private SchemaResolver(SchemaOptions options) => _options = options;

    /// <summary>An error at the declaration being resolved (or at <paramref name="at"/>), with an excerpt when the text is known.</summary>
    private SchemaParseException Error(string message, SourcePosition? at = null)
    {
        var position = at ?? _at;
        return _source is not null && position is { } p ? new SchemaParseException(message, _source, p.Line, p.Column) : new SchemaParseException(message);
    }

    public static CedarSchema Resolve(SchemaFragment fragment, SchemaOptions options) => new SchemaResolver(options).Run(fragment);

    private static string Qualify(string ns, string name) => ns.Length == 0 ? name : ns + "::" + name;

    private CedarSchema Run(SchemaFragment fragment)
    {
        _source = fragment.Source;
        CollectDefinitions(fragment);
        _at = null;
        CheckShadowing();
        foreach (var name in PrimitiveNames.Concat(ExtensionTypeNames))
        {
            if (!_common.ContainsKey(name) && !_entities.ContainsKey(name))
            {
                _emptyNamespaceAliases.Add(name);
            }
        }

        var entityTypes = new Dictionary<EntityType, SchemaEntityType>();
        foreach (var (fq, (decl, ns)) in _entities)
        {
            _at = decl.Position;
            var parents = decl.MemberOfTypes.Select(p => ResolveEntityReference(p, ns, $"parent of entity type `{fq}`")).ToList();
            RecordType attributes;
            CedarType? tags = null;
            if (decl.Enum is not null)
            {
                if (decl.Enum.Count == 0)
                {
                    throw Error($"enumerated entity type `{fq}` must list at least one id");
                }

                if (decl.Shape is RecordTypeExpression { Attributes.Count: > 0 } || decl.Tags is not null)
                {
                    throw Error($"enumerated entity type `{fq}` cannot have attributes or tags");
                }

                attributes = new RecordType(new Dictionary<string, AttributeType>(), open: false);
            }
            else
            {
                attributes = decl.Shape is null
                    ? new RecordType(new Dictionary<string, AttributeType>(), open: false)
                    : ToType(decl.Shape, ns, 0) as RecordType ?? throw Error($"the shape of entity type `{fq}` must be a record");
                if (decl.Tags is not null)
                {
                    tags = ToType(decl.Tags, ns, 0);
                }
            }

            var type = new EntityType(fq);
            entityTypes[type] = new SchemaEntityType(type, parents, attributes, tags, decl.Enum);
        }

        var actions = new Dictionary<EntityUid, SchemaAction>();
        foreach (var (uid, (decl, ns)) in _actions)
        {
            _at = decl.Position;
            var parents = decl.MemberOf.Select(r => ResolveActionReference(r, ns, uid)).ToList();
            var principals = new List<EntityType>();
            var resources = new List<EntityType>();
            var context = new RecordType(new Dictionary<string, AttributeType>(), open: false);
            if (decl.AppliesTo is { } applies)
            {
                principals.AddRange(applies.PrincipalTypes.Select(p => ResolveAppliesToType(p, ns, uid)).Distinct());
                resources.AddRange(applies.ResourceTypes.Select(p => ResolveAppliesToType(p, ns, uid)).Distinct());
                if (applies.Context is not null)
                {
                    context = ToType(applies.Context, ns, 0) as RecordType
                        ?? throw Error($"the context of action {uid} must be a record");
                }
            }

            actions[uid] = new SchemaAction(uid, parents, principals, resources, context);
        }

        var budget = _options.MaxHierarchyPairs;
        _at = null;
        CloseEntityHierarchy(entityTypes, ref budget);
        CloseActionHierarchy(actions, ref budget);
        return new CedarSchema(fragment, entityTypes, actions);
    }

    private void CollectDefinitions(SchemaFragment fragment)
    {
        foreach (var ns in fragment.Namespaces)
        {
            if (ns.Name.Split("::").Contains("__cedar"))
            {
                throw Error($"`{ns.Name}` is not a valid namespace: `__cedar` is reserved");
            }

            foreach (var ct in ns.CommonTypes)
            {
                if (PrimitiveNames.Contains(ct.Name) || ct.Name is "Set" or "Record" or "Entity" or "Extension" or "Boolean")
                {
                    throw Error($"`{ct.Name}` cannot be used as a common type name");
                }

                var fq = Qualify(ns.Name, ct.Name);
                _at = ct.Position;
                if (!_common.TryAdd(fq, (ct.Type, ns.Name, ct.Position)))
                {
                    throw Error($"common type `{fq}` is declared twice");
                }
            }

            foreach (var et in ns.EntityTypes)
            {
                var fq = Qualify(ns.Name, et.Name);
                _at = et.Position;
                if (et.Name == "Action")
                {
                    throw Error($"entity type `{fq}` cannot be declared: `Action` is reserved for actions");
                }

                if (!_entities.TryAdd(fq, (et, ns.Name)))
                {
                    throw Error($"entity type `{fq}` is declared twice");
                }
            }

            foreach (var action in ns.Actions)
            {
                var uid = new EntityUid(Qualify(ns.Name, "Action"), action.Name);
                _at = action.Position;
                if (!_actions.TryAdd(uid, (action, ns.Name)))
                {
                    throw Error($"action {uid} is declared twice");
                }

                _actionTypes.Add(uid.Type.Name);
            }
        }
    }

    private void CheckShadowing()
    {
        // Cedar forbids a namespaced entity or common type from sharing its basename with an
        // empty-namespace entity or common type, and likewise for actions.
        var unqualified = _common.Keys.Concat(_entities.Keys).Where(n => !n.Contains("::", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        foreach (var name in _common.Keys.Concat(_entities.Keys))
        {
            var i = name.LastIndexOf("::", StringComparison.Ordinal);
            if (i >= 0 && unqualified.Contains(name[(i + 2)..]))
            {
                throw Error($"definition of `{name}` illegally shadows the existing definition of `{name[(i + 2)..]}`");
            }
        }

        var unqualifiedActions = _actions.Keys.Where(u => u.Type.Name == "Action").Select(u => u.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var uid in _actions.Keys.Where(u => u.Type.Name != "Action"))
        {
            if (unqualifiedActions.Contains(uid.Id))
            {
                throw Error($"definition of action {uid} illegally shadows the existing definition of Action::{CedarText.Quote(uid.Id)}");
            }
        }
    }

    private static IEnumerable<string> Possibilities(string raw, string ns) =>
        raw.Contains("::", StringComparison.Ordinal) || ns.Length == 0 ? [raw] : [ns + "::" + raw, raw];

    private bool IsCommon(string fq) =>
        _common.ContainsKey(fq) || _emptyNamespaceAliases.Contains(fq) || (fq.StartsWith("__cedar::", StringComparison.Ordinal) && IsBuiltin(fq[9..]));

    private static bool IsBuiltin(string name) => PrimitiveNames.Contains(name) || ExtensionTypeNames.Contains(name);

    private bool IsEntity(string fq) => _entities.ContainsKey(fq) || _actionTypes.Contains(fq);

    private EntityType ResolveEntityReference(string raw, string ns, string where)
    {
        foreach (var p in Possibilities(raw, ns))
        {
            if (IsEntity(p))
            {
                // Action types resolve as names but are not declared entity types, so they cannot be parents.
                return _entities.ContainsKey(p) ? new EntityType(p) : throw Error($"undeclared entity type `{p}` used as {where}");
            }
        }

        throw Error($"undeclared entity type `{raw}` used as {where}");
    }

    private EntityType ResolveAppliesToType(string raw, string ns, EntityUid action)
    {
        foreach (var p in Possibilities(raw, ns))
        {
            if (_entities.ContainsKey(p))
            {
                return new EntityType(p);
            }
        }

        throw Error($"undeclared entity type `{raw}` in the `appliesTo` of action {action}");
    }

    private EntityUid ResolveActionReference(ActionReference reference, string ns, EntityUid from)
    {
        var raw = reference.Type ?? "Action";
        foreach (var p in Possibilities(raw, ns))
        {
            var uid = new EntityUid(p, reference.Id);
            if (_actions.ContainsKey(uid))
            {
                return uid;
            }
        }

        throw Error($"undeclared action {raw}::{CedarText.Quote(reference.Id)} used as a parent of action {from}");
    }

    private CedarType ToType(TypeExpression expr, string ns, int depth)
    {
        if (depth > MaxCommonTypeDepth)
        {
            throw Error($"type nesting exceeds the limit of {MaxCommonTypeDepth}");
        }

        switch (expr)
        {
            case PrimitiveTypeExpression p:
                return p.Primitive switch
                {
                    PrimitiveKind.Bool => CedarType.Bool,
                    PrimitiveKind.Long => CedarType.Long,
                    _ => CedarType.String,
                };
            case ExtensionTypeExpression e:
                return ExtensionTypeNames.Contains(e.Name)
                    ? CedarType.Extension(e.Name)
                    : throw Error($"unknown extension type `{e.Name}`");
            case SetTypeExpression s:
                return CedarType.SetOf(ToType(s.Element, ns, depth + 1));
            case RecordTypeExpression r:
                if (r.AdditionalAttributes)
                {
                    throw Error("records with `additionalAttributes: true` are not supported");
                }

                var attrs = new Dictionary<string, AttributeType>(StringComparer.Ordinal);
                foreach (var a in r.Attributes)
                {
                    if (!attrs.TryAdd(a.Name, new AttributeType(ToType(a.Type, ns, depth + 1), a.Required)))
                    {
                        throw Error($"duplicate attribute `{a.Name}`");
                    }
                }

                return new RecordType(attrs, open: false);
            case NamedTypeExpression n:
                return ResolveNamed(n, ns, depth);
            default:
                throw Error("unsupported type expression");
        }
    }

    private CedarType ResolveNamed(NamedTypeExpression n, string ns, int depth)
    {
        foreach (var p in Possibilities(n.Name, ns))
        {
            if (n.Kind != TypeNameKind.Entity && IsCommon(p))
            {
                return ResolveCommon(p, depth);
            }

            if (n.Kind != TypeNameKind.Common && IsEntity(p))
            {
                return CedarType.Entity(new EntityType(p));
            }
        }

        var what = n.Kind switch
        {
            TypeNameKind.Entity => "an entity type",
            TypeNameKind.Common => "a common type",
            _ => "a common or entity type",
        };
        throw Error($"`{n.Name}` has not been declared as {what}", n.Position);
    }

    private CedarType ResolveCommon(string fq, int depth)
    {
        if (_resolvedCommon.TryGetValue(fq, out var done))
        {
            return done;
        }

        var builtin = fq.StartsWith("__cedar::", StringComparison.Ordinal) ? fq[9..] : _emptyNamespaceAliases.Contains(fq) ? fq : null;
        if (builtin is not null && !_common.ContainsKey(fq))
        {
            return builtin switch
            {
                "Bool" => CedarType.Bool,
                "Long" => CedarType.Long,
                "String" => CedarType.String,
                _ => CedarType.Extension(builtin),
            };
        }

        if (!_resolving.Add(fq))
        {
            throw Error($"common type `{fq}` is defined in terms of itself");
        }

        var (expr, ns, position) = _common[fq];
        var outer = _at;
        _at = position ?? outer;
        var type = ToType(expr, ns, depth + 1);
        _at = outer;
        _resolving.Remove(fq);
        _resolvedCommon[fq] = type;
        return type;
    }

    private static void Spend(ref long budget)
    {
        // The closed hierarchies are stored in full; a hostile chain of n types needs n^2/2 pairs.
        if (--budget < 0)
        {
            throw new SchemaParseException("the entity and action hierarchies are too large: raise SchemaOptions.MaxHierarchyPairs to read this schema");
        }
    }

    private static void CloseEntityHierarchy(Dictionary<EntityType, SchemaEntityType> types, ref long budget)
    {
        var children = new Dictionary<EntityType, HashSet<EntityType>>();
        foreach (var t in types.Values)
        {
            foreach (var p in t.Parents)
            {
                if (!children.TryGetValue(p, out var set))
                {
                    children[p] = set = [];
                }

                set.Add(t.Name);
            }
        }

        foreach (var t in types.Values)
        {
            var descendants = new HashSet<EntityType>();
            var stack = new Stack<EntityType>();
            stack.Push(t.Name);
            while (stack.Count > 0)
            {
                if (children.TryGetValue(stack.Pop(), out var direct))
                {
                    foreach (var c in direct)
                    {
                        if (descendants.Add(c))
                        {
                            Spend(ref budget);
                            stack.Push(c);
                        }
                    }
                }
            }

            t.Descendants = descendants;
        }
    }

    private static void CloseActionHierarchy(Dictionary<EntityUid, SchemaAction> actions, ref long budget)
    {
        var children = new Dictionary<EntityUid, HashSet<EntityUid>>();
        foreach (var a in actions.Values)
        {
            foreach (var p in a.Parents)
            {
                if (!children.TryGetValue(p, out var set))
                {
                    children[p] = set = [];
                }

                set.Add(a.Uid);
            }
        }

        var ancestors = actions.Keys.ToDictionary(k => k, _ => new HashSet<EntityUid>());
        foreach (var a in actions.Values)
        {
            var descendants = new HashSet<EntityUid>();
            var stack = new Stack<EntityUid>();
            stack.Push(a.Uid);
            while (stack.Count > 0)
            {
                if (children.TryGetValue(stack.Pop(), out var direct))
                {
                    foreach (var c in direct)
                    {
                        if (descendants.Add(c))
                        {
                            Spend(ref budget);
                            stack.Push(c);
                        }
                    }
                }
            }

            if (descendants.Contains(a.Uid))
            {
                throw new SchemaParseException($"the action hierarchy has a cycle through {a.Uid}");
            }

            a.Descendants = descendants;
            foreach (var d in descendants)
            {
                ancestors[d].Add(a.Uid);
            }
        }

        foreach (var a in actions.Values)
        {
            a.Ancestors = ancestors[a.Uid];
        }
    }
}
