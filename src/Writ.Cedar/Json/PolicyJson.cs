using System.Text;
using System.Text.Json;
using Writ.Cedar.Ast;
using Writ.Cedar.Authorization;
using Writ.Cedar.Extensions;
using Writ.Cedar.Values;

namespace Writ.Cedar.Json;

/// <summary>
/// Reads and writes Cedar's JSON policy format (the EST): policies, templates and policy sets with template links.
/// Reading applies the same structural checks as the text parser and bounds expression depth.
/// </summary>
public static class PolicyJson
{
    private static readonly HashSet<string> BinaryKeys = new(StringComparer.Ordinal)
    {
        "==", "!=", "in", "<", "<=", ">", ">=", "&&", "||", "+", "-", "*", "contains", "containsAll", "containsAny", "getTag", "hasTag",
    };

    /// <summary>Parses one policy or template.</summary>
    public static Policy ParsePolicy(string json, string id = "policy0")
        => JsonGuard.Run(() => ParsePolicyCore(json, id));

    internal static Policy ParsePolicyCore(string json, string id = "policy0")
    {
        using var doc = ValueJson.ParseDocument(json);
        return ReadPolicyCore(doc.RootElement, id);
    }

    /// <summary>
    /// Parses a policy set: <c>{"staticPolicies", "templates", "templateLinks"}</c>, or a single policy
    /// (which gets the id <c>policy0</c>).
    /// </summary>
    public static PolicySet ParsePolicySet(string json)
        => JsonGuard.Run(() => ParsePolicySetCore(json));

    internal static PolicySet ParsePolicySetCore(string json)
    {
        using var doc = ValueJson.ParseDocument(json);
        var root = doc.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("effect", out _))
        {
            return new PolicySet([ReadPolicyCore(root, "policy0")]);
        }

        RequireObject(root, "policy set");
        var set = new PolicySet();
        foreach (var p in Properties(root, "policy set"))
        {
            switch (p.Name)
            {
                case "templates":
                    foreach (var t in Properties(RequireObject(p.Value, "templates"), "templates"))
                    {
                        var template = ReadPolicyCore(t.Value, t.Name);
                        if (!template.IsTemplate)
                        {
                            throw new CedarJsonException($"template {t.Name} has no slots");
                        }

                        AddChecked(set, template);
                    }

                    break;
                case "staticPolicies":
                    foreach (var s in Properties(RequireObject(p.Value, "staticPolicies"), "staticPolicies"))
                    {
                        var policy = ReadPolicyCore(s.Value, s.Name);
                        if (policy.IsTemplate)
                        {
                            throw new CedarJsonException($"static policy {s.Name} has template slots");
                        }

                        AddChecked(set, policy);
                    }

                    break;
                case "templateLinks":
                    break;
                default:
                    throw new CedarJsonException($"unknown field \"{p.Name}\" in policy set");
            }
        }

        if (root.TryGetProperty("templateLinks", out var links))
        {
            if (links.ValueKind != JsonValueKind.Array)
            {
                throw new CedarJsonException("templateLinks must be an array");
            }

            foreach (var link in links.EnumerateArray())
            {
                ReadLink(link, set);
            }
        }

        return set;
    }

    private static void AddChecked(PolicySet set, Policy p)
    {
        try
        {
            set.Add(p);
        }
        catch (ArgumentException ex)
        {
            throw new CedarJsonException(ex.Message, ex);
        }
    }

    private static void ReadLink(JsonElement link, PolicySet set)
    {
        RequireObject(link, "template link");
        string? templateId = null, newId = null;
        var values = new Dictionary<SlotId, EntityUid>();
        foreach (var p in Properties(link, "template link"))
        {
            switch (p.Name)
            {
                case "templateId":
                    templateId = RequireString(p.Value, "templateId");
                    break;
                case "newId":
                    newId = RequireString(p.Value, "newId");
                    break;
                case "values":
                    foreach (var v in Properties(RequireObject(p.Value, "values"), "values"))
                    {
                        var slot = ReadSlot(v.Name);
                        values[slot] = ValueJson.ReadEntityUidCore(v.Value, "template link value");
                    }

                    break;
                default:
                    throw new CedarJsonException($"unknown field \"{p.Name}\" in template link");
            }
        }

        if (templateId is null || newId is null)
        {
            throw new CedarJsonException("a template link needs templateId and newId");
        }

        try
        {
            set.Link(templateId, newId, values);
        }
        catch (ArgumentException ex)
        {
            throw new CedarJsonException(ex.Message, ex);
        }
    }

    /// <summary>Reads one policy object.</summary>
    public static Policy ReadPolicy(JsonElement e, string id)
        => JsonGuard.Run(() => ReadPolicyCore(e, id));

    internal static Policy ReadPolicyCore(JsonElement e, string id)
    {
        RequireObject(e, "policy");
        Effect? effect = null;
        ScopeConstraint? principal = null, resource = null;
        ActionConstraint? action = null;
        List<Condition>? conditions = null;
        var annotations = new List<Annotation>();
        foreach (var p in Properties(e, "policy"))
        {
            switch (p.Name)
            {
                case "effect":
                    effect = RequireString(p.Value, "effect") switch
                    {
                        "permit" => Effect.Permit,
                        "forbid" => Effect.Forbid,
                        var other => throw new CedarJsonException($"invalid effect \"{other}\""),
                    };
                    break;
                case "principal":
                    principal = ReadScope(p.Value, "principal", SlotId.Principal);
                    break;
                case "action":
                    action = ReadActionScope(p.Value);
                    break;
                case "resource":
                    resource = ReadScope(p.Value, "resource", SlotId.Resource);
                    break;
                case "conditions":
                    if (p.Value.ValueKind != JsonValueKind.Array)
                    {
                        throw new CedarJsonException("conditions must be an array");
                    }

                    conditions = [];
                    foreach (var c in p.Value.EnumerateArray())
                    {
                        conditions.Add(ReadCondition(c));
                    }

                    break;
                case "annotations":
                    foreach (var a in Properties(RequireObject(p.Value, "annotations"), "annotations"))
                    {
                        if (!CedarText.IsIdentifier(a.Name))
                        {
                            throw new CedarJsonException($"invalid annotation name \"{a.Name}\"");
                        }

                        annotations.Add(new Annotation(a.Name, a.Value.ValueKind == JsonValueKind.Null ? null : RequireString(a.Value, "annotation value")));
                    }

                    break;
                default:
                    throw new CedarJsonException($"unknown field \"{p.Name}\" in policy");
            }
        }

        if (effect is null || principal is null || action is null || resource is null || conditions is null)
        {
            throw new CedarJsonException("a policy needs effect, principal, action, resource and conditions");
        }

        return new Policy(id, effect.Value, principal, action, resource, conditions, annotations);
    }

    private static Condition ReadCondition(JsonElement c)
    {
        RequireObject(c, "condition");
        string? kind = null;
        Expr? body = null;
        foreach (var p in Properties(c, "condition"))
        {
            switch (p.Name)
            {
                case "kind":
                    kind = RequireString(p.Value, "kind");
                    break;
                case "body":
                    body = ReadExprCore(p.Value, 0);
                    break;
                default:
                    throw new CedarJsonException($"unknown field \"{p.Name}\" in condition");
            }
        }

        if (body is null)
        {
            throw new CedarJsonException("a condition needs a body");
        }

        if (body.NestingDepth > Parsing.ParserOptions.Default.MaxNestingDepth)
        {
            throw new CedarJsonException($"expression nesting exceeds the limit of {Parsing.ParserOptions.Default.MaxNestingDepth}");
        }

        RejectSlots(body);
        return kind switch
        {
            "when" => new Condition(ConditionKind.When, body),
            "unless" => new Condition(ConditionKind.Unless, body),
            _ => throw new CedarJsonException($"invalid condition kind \"{kind}\""),
        };
    }

    private static void RejectSlots(Expr body)
    {
        if (ExprTree.FindSlot(body) is not null)
        {
            throw new CedarJsonException("template slots are only allowed in the policy scope");
        }
    }

    private static ScopeConstraint ReadScope(JsonElement e, string var, SlotId slot)
    {
        RequireObject(e, var);
        var op = e.TryGetProperty("op", out var opEl) ? RequireString(opEl, "op") : throw new CedarJsonException($"{var} constraint needs \"op\"");
        switch (op)
        {
            case "All":
            case "all":
                OnlyFields(e, var, "op");
                return ScopeConstraint.Any;
            case "==":
            case "in":
                {
                    var (uid, s) = ReadEntityOrSlot(e, var, slot, "op");
                    return new ScopeConstraint(op == "==" ? ScopeKind.Eq : ScopeKind.In, uid, s, null, default);
                }

            case "is":
                {
                    OnlyFields(e, var, "op", "entity_type", "in");
                    var typeName = e.TryGetProperty("entity_type", out var t) ? RequireString(t, "entity_type") : throw new CedarJsonException($"{var} 'is' constraint needs entity_type");
                    var type = ReadTypeName(typeName);
                    if (!e.TryGetProperty("in", out var inEl))
                    {
                        return ScopeConstraint.IsType(type);
                    }

                    RequireObject(inEl, var);
                    var (uid, s) = ReadEntityOrSlot(inEl, var, slot);
                    return new ScopeConstraint(ScopeKind.IsIn, uid, s, type, default);
                }

            default:
                throw new CedarJsonException($"invalid {var} constraint op \"{op}\"");
        }
    }

    private static (EntityUid? Uid, SlotId? Slot) ReadEntityOrSlot(JsonElement e, string var, SlotId allowed, params string[] extra)
    {
        OnlyFields(e, var, [.. extra, "entity", "slot"]);
        if (e.TryGetProperty("entity", out var entity))
        {
            return (ValueJson.ReadEntityUidCore(entity, var), null);
        }

        if (e.TryGetProperty("slot", out var slotEl))
        {
            var slot = ReadSlot(RequireString(slotEl, "slot"));
            if (slot != allowed)
            {
                throw new CedarJsonException($"slot ?{Policy.SlotName(slot)} is not allowed in the {var} scope");
            }

            return (null, slot);
        }

        throw new CedarJsonException($"{var} constraint needs \"entity\" or \"slot\"");
    }

    private static ActionConstraint ReadActionScope(JsonElement e)
    {
        RequireObject(e, "action");
        var op = e.TryGetProperty("op", out var opEl) ? RequireString(opEl, "op") : throw new CedarJsonException("action constraint needs \"op\"");
        switch (op)
        {
            case "All":
            case "all":
                OnlyFields(e, "action", "op");
                return ActionConstraint.Any;
            case "==":
                OnlyFields(e, "action", "op", "entity");
                return new ActionConstraint(ActionScopeKind.Eq, [CheckAction(ReadRequiredEntity(e, "entity"))], default);
            case "in":
                OnlyFields(e, "action", "op", "entity", "entities");
                if (e.TryGetProperty("entities", out var list))
                {
                    if (list.ValueKind != JsonValueKind.Array)
                    {
                        throw new CedarJsonException("action \"entities\" must be an array");
                    }

                    return new ActionConstraint(ActionScopeKind.InList, [.. list.EnumerateArray().Select(x => CheckAction(ValueJson.ReadEntityUidCore(x, "action")))], default);
                }

                return new ActionConstraint(ActionScopeKind.In, [CheckAction(ReadRequiredEntity(e, "entity"))], default);
            default:
                throw new CedarJsonException($"invalid action constraint op \"{op}\"");
        }
    }

    private static EntityUid CheckAction(EntityUid uid) =>
        uid.Type.IsAction ? uid : throw new CedarJsonException($"expected an action entity (type Action or NS::Action), found {uid}");

    private static EntityUid ReadRequiredEntity(JsonElement e, string field) =>
        e.TryGetProperty(field, out var v) ? ValueJson.ReadEntityUidCore(v, "action") : throw new CedarJsonException($"action constraint needs \"{field}\"");

    private static SlotId ReadSlot(string s) => s switch
    {
        "?principal" => SlotId.Principal,
        "?resource" => SlotId.Resource,
        _ => throw new CedarJsonException($"invalid slot \"{s}\""),
    };

    private static EntityType ReadTypeName(string name) =>
        EntityType.IsValidName(name) ? new EntityType(name) : throw new CedarJsonException($"invalid entity type name \"{name}\"");

    /// <summary>Reads one expression in the JSON expression format.</summary>
    public static Expr ReadExpr(JsonElement e, int depth)
        => JsonGuard.Run(() => ReadExprCore(e, depth));

    internal static Expr ReadExprCore(JsonElement e, int depth)
    {
        if (depth > Parsing.ParserOptions.Default.MaxNestingDepth)
        {
            throw new CedarJsonException($"expression nesting exceeds the limit of {Parsing.ParserOptions.Default.MaxNestingDepth}");
        }

        RequireObject(e, "expression");
        JsonProperty? single = null;
        foreach (var p in e.EnumerateObject())
        {
            if (single is not null)
            {
                throw new CedarJsonException($"an expression object has exactly one key, found \"{single.Value.Name}\" and \"{p.Name}\"");
            }

            single = p;
        }

        if (single is null)
        {
            throw new CedarJsonException("an empty object is not an expression");
        }

        var key = single.Value.Name;
        var v = single.Value.Value;
        var d = depth + 1;
        if (ExtensionNames.IsExtensionFunction(key))
        {
            if (v.ValueKind != JsonValueKind.Array)
            {
                throw new CedarJsonException($"arguments of {key} must be an array");
            }

            return new ExtensionCallExpr(key, [.. v.EnumerateArray().Select(a => ReadExprCore(a, d))]);
        }

        if (BinaryKeys.Contains(key))
        {
            OnlyFields(v, key, "left", "right");
            var l = ReadExprCore(Field(v, "left", key), d);
            var r = ReadExprCore(Field(v, "right", key), d);
            return key switch
            {
                "&&" => new AndExpr(l, r),
                "||" => new OrExpr(l, r),
                _ => new BinaryExpr(key switch
                {
                    "==" => BinaryOp.Eq,
                    "!=" => BinaryOp.NotEq,
                    "in" => BinaryOp.In,
                    "<" => BinaryOp.Less,
                    "<=" => BinaryOp.LessEq,
                    ">" => BinaryOp.Greater,
                    ">=" => BinaryOp.GreaterEq,
                    "+" => BinaryOp.Add,
                    "-" => BinaryOp.Sub,
                    "*" => BinaryOp.Mul,
                    "contains" => BinaryOp.Contains,
                    "containsAll" => BinaryOp.ContainsAll,
                    "containsAny" => BinaryOp.ContainsAny,
                    "getTag" => BinaryOp.GetTag,
                    _ => BinaryOp.HasTag,
                }, l, r),
            };
        }

        switch (key)
        {
            case "Value":
                return ValueToExpr(v, d);
            case "Var":
                return RequireString(v, "Var") switch
                {
                    "principal" => new VarExpr(Var.Principal),
                    "action" => new VarExpr(Var.Action),
                    "resource" => new VarExpr(Var.Resource),
                    "context" => new VarExpr(Var.Context),
                    var other => throw new CedarJsonException($"invalid variable \"{other}\""),
                };
            case "Slot":
                return new SlotExpr(ReadSlot(RequireString(v, "Slot")));
            case "!":
            case "neg":
            case "isEmpty":
                {
                    OnlyFields(v, key, "arg");
                    var arg = ReadExprCore(Field(v, "arg", key), d);
                    return new UnaryExpr(key switch { "!" => UnaryOp.Not, "neg" => UnaryOp.Neg, _ => UnaryOp.IsEmpty }, arg);
                }

            case ".":
                {
                    OnlyFields(v, key, "left", "attr");
                    return new GetAttrExpr(ReadExprCore(Field(v, "left", key), d), RequireString(Field(v, "attr", key), "attr"));
                }

            case "has":
                {
                    OnlyFields(v, key, "left", "attr");
                    var target = ReadExprCore(Field(v, "left", key), d);
                    var attr = Field(v, "attr", key);
                    if (attr.ValueKind == JsonValueKind.String)
                    {
                        return new HasAttrExpr(target, attr.GetString()!);
                    }

                    if (attr.ValueKind != JsonValueKind.Array || attr.GetArrayLength() == 0)
                    {
                        throw new CedarJsonException("\"has\" needs an attribute name or a non-empty list of them");
                    }

                    var names = attr.EnumerateArray().Select(a => RequireString(a, "attr")).ToList();
                    Expr result = new HasAttrExpr(target, names[0]);
                    Expr access = new GetAttrExpr(target, names[0]);
                    for (var i = 1; i < names.Count; i++)
                    {
                        result = new AndExpr(result, new HasAttrExpr(access, names[i]));
                        access = new GetAttrExpr(access, names[i]);
                    }

                    return result;
                }

            case "like":
                {
                    OnlyFields(v, key, "left", "pattern");
                    var target = ReadExprCore(Field(v, "left", key), d);
                    var pattern = Field(v, "pattern", key);
                    if (pattern.ValueKind != JsonValueKind.Array)
                    {
                        throw new CedarJsonException("like pattern must be an array");
                    }

                    var elements = new List<PatternElement>();
                    foreach (var pe in pattern.EnumerateArray())
                    {
                        if (pe.ValueKind == JsonValueKind.String && pe.GetString() == "Wildcard")
                        {
                            elements.Add(PatternElement.Wildcard);
                        }
                        else if (pe.ValueKind == JsonValueKind.Object && pe.TryGetProperty("Literal", out var lit) && lit.ValueKind == JsonValueKind.String)
                        {
                            OnlyFields(pe, "pattern element", "Literal");
                            elements.AddRange(lit.GetString()!.Select(PatternElement.Literal));
                        }
                        else
                        {
                            throw new CedarJsonException("a like pattern element is \"Wildcard\" or {\"Literal\": \"...\"}");
                        }
                    }

                    return new LikeExpr(target, new LikePattern(elements));
                }

            case "is":
                {
                    OnlyFields(v, key, "left", "entity_type", "in");
                    var target = ReadExprCore(Field(v, "left", key), d);
                    var type = ReadTypeName(RequireString(Field(v, "entity_type", key), "entity_type"));
                    return new IsExpr(target, type, v.TryGetProperty("in", out var inEl) ? ReadExprCore(inEl, d) : null);
                }

            case "if-then-else":
                OnlyFields(v, key, "if", "then", "else");
                return new IfExpr(ReadExprCore(Field(v, "if", key), d), ReadExprCore(Field(v, "then", key), d), ReadExprCore(Field(v, "else", key), d));
            case "Set":
                if (v.ValueKind != JsonValueKind.Array)
                {
                    throw new CedarJsonException("Set must be an array");
                }

                return new SetExpr([.. v.EnumerateArray().Select(x => ReadExprCore(x, d))]);
            case "Record":
                {
                    var fields = new List<KeyValuePair<string, Expr>>();
                    foreach (var p in Properties(RequireObject(v, "Record"), "Record"))
                    {
                        fields.Add(new(p.Name, ReadExprCore(p.Value, d)));
                    }

                    return new RecordExpr(fields);
                }

            default:
                throw new CedarJsonException($"unknown expression key \"{key}\"");
        }
    }

    /// <summary>Turns a Cedar JSON value into a literal expression (sets, records and extension calls become expressions).</summary>
    private static Expr ValueToExpr(JsonElement v, int depth)
    {
        if (depth > Parsing.ParserOptions.Default.MaxNestingDepth)
        {
            throw new CedarJsonException($"expression nesting exceeds the limit of {Parsing.ParserOptions.Default.MaxNestingDepth}");
        }

        switch (v.ValueKind)
        {
            case JsonValueKind.Array:
                return new SetExpr([.. v.EnumerateArray().Select(x => ValueToExpr(x, depth + 1))]);
            case JsonValueKind.Object:
                {
                    var props = Properties(v, "value").ToList();
                    if (props.Count == 1 && props[0].Name == "__extn" && props[0].Value.ValueKind == JsonValueKind.Object
                        && props[0].Value.TryGetProperty("fn", out var fn) && fn.ValueKind == JsonValueKind.String)
                    {
                        var inner = props[0].Value;
                        var name = fn.GetString()!;
                        if (!ExtensionNames.IsExtensionFunction(name))
                        {
                            throw new CedarJsonException($"unknown extension function \"{name}\"");
                        }

                        if (inner.TryGetProperty("arg", out var arg))
                        {
                            return new ExtensionCallExpr(name, [ValueToExpr(arg, depth + 1)]);
                        }

                        if (inner.TryGetProperty("args", out var args) && args.ValueKind == JsonValueKind.Array)
                        {
                            return new ExtensionCallExpr(name, [.. args.EnumerateArray().Select(a => ValueToExpr(a, depth + 1))]);
                        }
                    }

                    if (props.Count == 1 && props[0].Name == "__entity")
                    {
                        return new LiteralExpr(ValueJson.ReadEntityUidCore(v, "value"));
                    }

                    return new RecordExpr([.. props.Select(p => new KeyValuePair<string, Expr>(p.Name, ValueToExpr(p.Value, depth + 1)))]);
                }

            default:
                return new LiteralExpr(ValueJson.ReadCore(v));
        }
    }

    private static JsonElement Field(JsonElement obj, string name, string op)
    {
        RequireObject(obj, op);
        return obj.TryGetProperty(name, out var v) ? v : throw new CedarJsonException($"\"{op}\" needs \"{name}\"");
    }

    private static JsonElement RequireObject(JsonElement e, string what) =>
        e.ValueKind == JsonValueKind.Object ? e : throw new CedarJsonException($"{what} must be a JSON object");

    private static string RequireString(JsonElement e, string what) =>
        e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new CedarJsonException($"{what} must be a string");

    private static IEnumerable<JsonProperty> Properties(JsonElement obj, string what)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject())
        {
            if (!seen.Add(p.Name))
            {
                throw new CedarJsonException($"duplicate key \"{p.Name}\" in {what}");
            }

            yield return p;
        }
    }

    private static void OnlyFields(JsonElement obj, string what, params string[] allowed)
    {
        RequireObject(obj, what);
        foreach (var p in Properties(obj, what))
        {
            if (Array.IndexOf(allowed, p.Name) < 0)
            {
                throw new CedarJsonException($"unknown field \"{p.Name}\" in {what}");
            }
        }
    }

    // ---- writing ----

    /// <summary>Writes a policy or template as JSON.</summary>
    public static string ToJson(Policy policy, bool indented = true) => Write(w => WritePolicy(w, policy), indented);

    /// <summary>Writes a policy set as <c>{"staticPolicies", "templates", "templateLinks"}</c>.</summary>
    public static string ToJson(PolicySet set, bool indented = true) => Write(
        w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("staticPolicies");
            w.WriteStartObject();
            foreach (var p in set.Policies.Where(p => p.TemplateId is null))
            {
                w.WritePropertyName(p.Id);
                WritePolicy(w, p);
            }

            w.WriteEndObject();
            w.WritePropertyName("templates");
            w.WriteStartObject();
            foreach (var (id, t) in set.Templates)
            {
                w.WritePropertyName(id);
                WritePolicy(w, t);
            }

            w.WriteEndObject();
            w.WritePropertyName("templateLinks");
            w.WriteStartArray();
            foreach (var p in set.Policies.Where(p => p.TemplateId is not null))
            {
                w.WriteStartObject();
                w.WriteString("templateId", p.TemplateId);
                w.WriteString("newId", p.Id);
                w.WritePropertyName("values");
                w.WriteStartObject();
                foreach (var (slot, uid) in p.SlotValues!)
                {
                    w.WritePropertyName("?" + Policy.SlotName(slot));
                    ValueJson.WriteEntityUid(w, uid);
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        },
        indented);

    /// <summary>Writes an expression as JSON.</summary>
    public static string ToJson(Expr expr, bool indented = false) => Write(w => WriteExpr(w, expr), indented);

    private static string Write(Action<Utf8JsonWriter> body, bool indented)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = indented, MaxDepth = 0, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            body(w);
        }

        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static void WritePolicy(Utf8JsonWriter w, Policy p)
    {
        w.WriteStartObject();
        w.WriteString("effect", p.Effect == Effect.Permit ? "permit" : "forbid");
        w.WritePropertyName("principal");
        WriteScope(w, p.Principal);
        w.WritePropertyName("action");
        w.WriteStartObject();
        switch (p.Action.Kind)
        {
            case ActionScopeKind.Any:
                w.WriteString("op", "All");
                break;
            case ActionScopeKind.Eq:
            case ActionScopeKind.In:
                w.WriteString("op", p.Action.Kind == ActionScopeKind.Eq ? "==" : "in");
                w.WritePropertyName("entity");
                ValueJson.WriteEntityUid(w, p.Action.Entities[0]);
                break;
            default:
                w.WriteString("op", "in");
                w.WritePropertyName("entities");
                w.WriteStartArray();
                foreach (var a in p.Action.Entities)
                {
                    ValueJson.WriteEntityUid(w, a);
                }

                w.WriteEndArray();
                break;
        }

        w.WriteEndObject();
        w.WritePropertyName("resource");
        WriteScope(w, p.Resource);
        w.WritePropertyName("conditions");
        w.WriteStartArray();
        foreach (var c in p.Conditions)
        {
            w.WriteStartObject();
            w.WriteString("kind", c.Kind == ConditionKind.When ? "when" : "unless");
            w.WritePropertyName("body");
            WriteExpr(w, c.Body);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (p.Annotations.Count > 0)
        {
            w.WritePropertyName("annotations");
            w.WriteStartObject();
            foreach (var a in p.Annotations)
            {
                if (a.Value is null)
                {
                    w.WriteNull(a.Key);
                }
                else
                {
                    w.WriteString(a.Key, a.Value);
                }
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteScope(Utf8JsonWriter w, ScopeConstraint s)
    {
        w.WriteStartObject();
        switch (s.Kind)
        {
            case ScopeKind.Any:
                w.WriteString("op", "All");
                break;
            case ScopeKind.Eq:
            case ScopeKind.In:
                w.WriteString("op", s.Kind == ScopeKind.Eq ? "==" : "in");
                WriteEntityOrSlot(w, s);
                break;
            case ScopeKind.Is:
                w.WriteString("op", "is");
                w.WriteString("entity_type", s.EntityType!.Name);
                break;
            default:
                w.WriteString("op", "is");
                w.WriteString("entity_type", s.EntityType!.Name);
                w.WritePropertyName("in");
                w.WriteStartObject();
                WriteEntityOrSlot(w, s);
                w.WriteEndObject();
                break;
        }

        w.WriteEndObject();
    }

    private static void WriteEntityOrSlot(Utf8JsonWriter w, ScopeConstraint s)
    {
        if (s.Slot is { } slot)
        {
            w.WriteString("slot", "?" + Policy.SlotName(slot));
        }
        else
        {
            w.WritePropertyName("entity");
            ValueJson.WriteEntityUid(w, s.Entity!);
        }
    }

    private static void WriteExpr(Utf8JsonWriter w, Expr e)
    {
        w.WriteStartObject();
        switch (e)
        {
            case LiteralExpr l:
                w.WritePropertyName("Value");
                ValueJson.Write(w, l.Value);
                break;
            case VarExpr v:
                w.WriteString("Var", v.Var switch { Var.Principal => "principal", Var.Action => "action", Var.Resource => "resource", _ => "context" });
                break;
            case SlotExpr s:
                w.WriteString("Slot", "?" + Policy.SlotName(s.Slot));
                break;
            case IfExpr i:
                w.WritePropertyName("if-then-else");
                w.WriteStartObject();
                w.WritePropertyName("if");
                WriteExpr(w, i.Condition);
                w.WritePropertyName("then");
                WriteExpr(w, i.Then);
                w.WritePropertyName("else");
                WriteExpr(w, i.Else);
                w.WriteEndObject();
                break;
            case AndExpr a:
                WriteBinary(w, "&&", a.Left, a.Right);
                break;
            case OrExpr o:
                WriteBinary(w, "||", o.Left, o.Right);
                break;
            case UnaryExpr u:
                w.WritePropertyName(u.Op switch { UnaryOp.Not => "!", UnaryOp.Neg => "neg", _ => "isEmpty" });
                w.WriteStartObject();
                w.WritePropertyName("arg");
                WriteExpr(w, u.Operand);
                w.WriteEndObject();
                break;
            case BinaryExpr b:
                WriteBinary(w, b.Op switch
                {
                    BinaryOp.Eq => "==",
                    BinaryOp.NotEq => "!=",
                    BinaryOp.In => "in",
                    BinaryOp.Less => "<",
                    BinaryOp.LessEq => "<=",
                    BinaryOp.Greater => ">",
                    BinaryOp.GreaterEq => ">=",
                    BinaryOp.Add => "+",
                    BinaryOp.Sub => "-",
                    BinaryOp.Mul => "*",
                    BinaryOp.Contains => "contains",
                    BinaryOp.ContainsAll => "containsAll",
                    BinaryOp.ContainsAny => "containsAny",
                    BinaryOp.GetTag => "getTag",
                    _ => "hasTag",
                }, b.Left, b.Right);
                break;
            case HasAttrExpr h:
                WriteAttr(w, "has", h.Target, h.Attribute);
                break;
            case GetAttrExpr g:
                WriteAttr(w, ".", g.Target, g.Attribute);
                break;
            case LikeExpr l:
                w.WritePropertyName("like");
                w.WriteStartObject();
                w.WritePropertyName("left");
                WriteExpr(w, l.Target);
                w.WritePropertyName("pattern");
                w.WriteStartArray();
                var elements = l.Pattern.Elements;
                for (var i = 0; i < elements.Count; i++)
                {
                    var pe = elements[i];
                    if (pe.IsWildcard)
                    {
                        w.WriteStringValue("Wildcard");
                        continue;
                    }

                    // One element per Unicode scalar value: a surrogate pair stays together.
                    var text = char.IsHighSurrogate(pe.Char) && i + 1 < elements.Count && !elements[i + 1].IsWildcard && char.IsLowSurrogate(elements[i + 1].Char)
                        ? new string([pe.Char, elements[++i].Char])
                        : pe.Char.ToString();
                    w.WriteStartObject();
                    w.WriteString("Literal", text);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
                break;
            case IsExpr i:
                w.WritePropertyName("is");
                w.WriteStartObject();
                w.WritePropertyName("left");
                WriteExpr(w, i.Target);
                w.WriteString("entity_type", i.EntityType.Name);
                if (i.In is not null)
                {
                    w.WritePropertyName("in");
                    WriteExpr(w, i.In);
                }

                w.WriteEndObject();
                break;
            case SetExpr s:
                w.WritePropertyName("Set");
                w.WriteStartArray();
                foreach (var item in s.Items)
                {
                    WriteExpr(w, item);
                }

                w.WriteEndArray();
                break;
            case RecordExpr r:
                w.WritePropertyName("Record");
                w.WriteStartObject();
                foreach (var (k, v) in r.Fields)
                {
                    w.WritePropertyName(k);
                    WriteExpr(w, v);
                }

                w.WriteEndObject();
                break;
            case ExtensionCallExpr x:
                w.WritePropertyName(x.FunctionName);
                w.WriteStartArray();
                foreach (var a in x.Arguments)
                {
                    WriteExpr(w, a);
                }

                w.WriteEndArray();
                break;
            default:
                throw new ArgumentException("unknown expression node", nameof(e));
        }

        w.WriteEndObject();
    }

    private static void WriteBinary(Utf8JsonWriter w, string op, Expr l, Expr r)
    {
        w.WritePropertyName(op);
        w.WriteStartObject();
        w.WritePropertyName("left");
        WriteExpr(w, l);
        w.WritePropertyName("right");
        WriteExpr(w, r);
        w.WriteEndObject();
    }

    private static void WriteAttr(Utf8JsonWriter w, string op, Expr target, string attr)
    {
        w.WritePropertyName(op);
        w.WriteStartObject();
        w.WritePropertyName("left");
        WriteExpr(w, target);
        w.WriteString("attr", attr);
        w.WriteEndObject();
    }
}
