using System.Runtime.CompilerServices;
using Writ.Cedar.Ast;
using Writ.Cedar.Schema;
using Writ.Cedar.Values;

namespace Writ.Cedar.Validation;

/// <summary>
/// The result of typechecking one expression: its type (null when none could be given), whether it typechecked,
/// and the capabilities it establishes when it evaluates to true.
/// </summary>
internal readonly record struct Answer(CedarType? Type, bool Ok, Capabilities Caps)
{
    public static Answer Success(CedarType? type) => new(type, true, Capabilities.Empty);

    public static Answer Success(CedarType? type, Capabilities caps) => new(type, true, caps);

    public static Answer Fail(CedarType? type) => new(type, false, Capabilities.Empty);

    /// <summary>Continues with this answer's type; a failure stays a failure whatever the continuation returns.</summary>
    public Answer Then(Func<CedarType?, Capabilities, Answer> next)
    {
        var result = next(Type, Ok ? Caps : Capabilities.Empty);
        return Ok ? result : result with { Ok = false, Caps = Capabilities.Empty };
    }
}

/// <summary>
/// Cedar's strict typechecker for one policy condition under one request environment. It follows the rules of
/// cedar-policy-validator: singleton boolean types drive short-circuiting, <c>has</c> tests produce capabilities,
/// and strict mode forbids mixing types in sets, equalities and conditionals.
/// </summary>
internal sealed partial class Typechecker
{
    private const bool Strict = true;
    private readonly CedarSchema _schema;
    private readonly RequestEnvironment _env;
    private readonly string _policyId;
    private readonly List<ValidationIssue> _errors;
    private readonly CapabilityKeys _keys;

    public Typechecker(CedarSchema schema, RequestEnvironment env, string policyId, List<ValidationIssue> errors, CapabilityKeys keys)
    {
        _schema = schema;
        _env = env;
        _policyId = policyId;
        _errors = errors;
        _keys = keys;
    }

    private void Error(Expr at, ValidationIssueKind kind, string message) =>
        _errors.Add(new ValidationIssue(_policyId, kind, message, at.Span));

    /// <summary>Typechecks a policy condition, which must be boolean.</summary>
    public Answer CheckCondition(Expr condition) => Expect(Capabilities.Empty, condition, CedarType.Bool);

    private Answer ExpectOneOf(Capabilities prior, Expr e, CedarType[] expected)
    {
        var actual = Check(prior, e);
        return actual.Then((type, caps) =>
        {
            if (type is null)
            {
                return Answer.Fail(null);
            }

            // Permissive subtyping on purpose: the expected types are "any entity" or "any record" markers.
            if (!expected.Any(x => TypeRelations.IsSubtype(type, x, strict: false)))
            {
                Error(e, ValidationIssueKind.UnexpectedType, $"unexpected type: expected {string.Join(" or ", expected.Select(Describe))} but saw {type}");
                return Answer.Fail(null);
            }

            return Answer.Success(type, caps);
        });
    }

    private static string Describe(CedarType t) => t switch
    {
        EntityLubType { IsAny: true } => "an entity",
        RecordType { Open: true, Attributes.Count: 0 } => "a record",
        SetType { Element: null } => "a set",
        SetType { Element: EntityLubType { IsAny: true } } => "a set of entities",
        _ => t.ToString(),
    };

    private Answer Expect(Capabilities prior, Expr e, CedarType expected) => ExpectOneOf(prior, e, [expected]);

    private Answer Check(Capabilities prior, Expr e)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (e)
        {
            case VarExpr v:
                return v.Var switch
                {
                    Var.Principal => Answer.Success(CedarType.Entity(_env.Principal)),
                    Var.Resource => Answer.Success(CedarType.Entity(_env.Resource)),
                    Var.Context => Answer.Success(_env.Context),
                    _ => Answer.Success(CedarType.Entity(_env.Action.Type)),
                };
            case SlotExpr s:
                var slotType = s.Slot == SlotId.Principal ? _env.PrincipalSlot : _env.ResourceSlot;
                return Answer.Success(slotType is null ? CedarType.AnyEntity : CedarType.Entity(slotType));
            case LiteralExpr lit:
                return CheckLiteral(lit.Value);
            case IfExpr ite:
                return CheckIf(prior, ite);
            case AndExpr and:
                return CheckAnd(prior, and.Left, and.Right);
            case OrExpr or:
                return CheckOr(prior, or);
            case UnaryExpr u:
                return CheckUnary(prior, u);
            case BinaryExpr b:
                return CheckBinary(prior, b);
            case GetAttrExpr g:
                return CheckGetAttr(prior, g);
            case HasAttrExpr h:
                return CheckHasAttr(prior, h);
            case LikeExpr like:
                return Expect(prior, like.Target, CedarType.String).Then((_, _) => Answer.Success(CedarType.Bool));
            case IsExpr isExpr:
                return isExpr.In is null
                    ? CheckIs(prior, isExpr)
                    : CheckAnd(prior, new IsExpr(isExpr.Target, isExpr.EntityType, null, isExpr.Span), new BinaryExpr(BinaryOp.In, isExpr.Target, isExpr.In, isExpr.Span));
            case SetExpr set:
                return CheckSet(prior, set);
            case RecordExpr record:
                return CheckRecord(prior, record);
            case ExtensionCallExpr call:
                return CheckExtensionCall(prior, call);
            default:
                return Answer.Fail(null);
        }
    }

    private Answer CheckLiteral(Value value) => value switch
    {
        BoolValue b => Answer.Success(CedarType.Singleton(b.Value)),
        LongValue => Answer.Success(CedarType.Long),
        StringValue => Answer.Success(CedarType.String),
        EntityUid uid => EntityLiteralType(uid) is { } t ? Answer.Success(t) : Answer.Fail(null),
        _ => Answer.Fail(null),
    };

    /// <summary>The type of an entity literal, or null when its type or action is undeclared (reported elsewhere).</summary>
    private CedarType? EntityLiteralType(EntityUid uid)
    {
        if (uid.Type.IsAction)
        {
            return _schema.GetAction(uid) is null ? null : CedarType.Entity(uid.Type);
        }

        return _schema.GetEntityType(uid.Type) is null ? null : CedarType.Entity(uid.Type);
    }

    private Answer CheckIf(Capabilities prior, IfExpr ite)
    {
        var test = Expect(prior, ite.Condition, CedarType.Bool);
        return test.Then((testType, testCaps) =>
        {
            if (testType is BoolType { Kind: BoolKind.True })
            {
                var then = Check(prior.Union(testCaps), ite.Then);
                return then.Then((t, thenCaps) => Answer.Success(t, thenCaps.Union(testCaps)));
            }

            if (testType is BoolType { Kind: BoolKind.False })
            {
                var @else = Check(prior, ite.Else);
                return @else.Then(Answer.Success);
            }

            var thenAnswer = Check(prior.Union(testCaps), ite.Then);
            if (thenAnswer.Ok)
            {
                thenAnswer = thenAnswer with { Caps = thenAnswer.Caps.Union(testCaps) };
            }

            var elseAnswer = Check(prior, ite.Else);
            return thenAnswer.Then((thenType, thenCaps) => elseAnswer.Then((elseType, elseCaps) =>
            {
                var lub = LubOrError(ite, [thenType, elseType], "the branches of a conditional");
                return lub is null ? Answer.Fail(null) : Answer.Success(lub, elseCaps.Intersect(thenCaps));
            }));
        });
    }

    private Answer CheckAnd(Capabilities prior, Expr left, Expr right)
    {
        var l = Expect(prior, left, CedarType.Bool);
        return l.Then((lt, lcaps) =>
        {
            if (lt is BoolType { Kind: BoolKind.False })
            {
                return Answer.Success(lt);
            }

            var r = Expect(prior.Union(lcaps), right, CedarType.Bool);
            return r.Then((rt, rcaps) => (lt, rt) switch
            {
                (not null, BoolType { Kind: BoolKind.False }) => Answer.Success(CedarType.False),
                (not null, BoolType { Kind: BoolKind.True }) => Answer.Success(lt, lcaps.Union(rcaps)),
                (BoolType { Kind: BoolKind.True }, not null) => Answer.Success(rt, rcaps),
                (not null, not null) => Answer.Success(CedarType.Bool, lcaps.Union(rcaps)),
                _ => Answer.Fail(CedarType.Bool),
            });
        });
    }

    private Answer CheckOr(Capabilities prior, OrExpr or)
    {
        var l = Expect(prior, or.Left, CedarType.Bool);
        return l.Then((lt, lcaps) =>
        {
            if (lt is BoolType { Kind: BoolKind.True })
            {
                return Answer.Success(lt, lcaps);
            }

            var r = Expect(prior, or.Right, CedarType.Bool);
            return r.Then((rt, rcaps) => (lt, rt) switch
            {
                (not null, BoolType { Kind: BoolKind.True }) => Answer.Success(CedarType.True, rcaps),
                (not null, BoolType { Kind: BoolKind.False }) => Answer.Success(lt, lcaps),
                (BoolType { Kind: BoolKind.False }, not null) => Answer.Success(rt, rcaps),
                (not null, not null) => Answer.Success(CedarType.Bool, rcaps.Intersect(lcaps)),
                _ => Answer.Fail(CedarType.Bool),
            });
        });
    }

    private Answer CheckUnary(Capabilities prior, UnaryExpr u)
    {
        switch (u.Op)
        {
            case UnaryOp.Not:
                return Expect(prior, u.Operand, CedarType.Bool).Then((t, _) => t switch
                {
                    BoolType { Kind: BoolKind.True } => Answer.Success(CedarType.False),
                    BoolType { Kind: BoolKind.False } => Answer.Success(CedarType.True),
                    null => Answer.Fail(CedarType.Bool),
                    _ => Answer.Success(CedarType.Bool),
                });
            case UnaryOp.Neg:
                return Expect(prior, u.Operand, CedarType.Long).Then((_, _) => Answer.Success(CedarType.Long));
            default:
                return Expect(prior, u.Operand, CedarType.AnySet).Then((_, _) => Answer.Success(CedarType.Bool));
        }
    }

    private Answer CheckGetAttr(Capabilities prior, GetAttrExpr g)
    {
        var target = ExpectOneOf(prior, g.Target, [CedarType.AnyEntity, CedarType.AnyRecord]);
        return target.Then((type, _) =>
        {
            if (type is null)
            {
                return Answer.Fail(null);
            }

            var attr = TypeRelations.LookupAttribute(_schema, type, g.Attribute);
            if (attr is null)
            {
                Error(g, ValidationIssueKind.UnsafeAttributeAccess, $"attribute `{g.Attribute}` on {type} is not declared");
                return Answer.Fail(null);
            }

            if (attr.Required || prior.Contains(_keys.Attribute(g.Target, g.Attribute)))
            {
                return Answer.Success(attr.Type);
            }

            Error(g, ValidationIssueKind.UnsafeOptionalAttributeAccess, $"attribute `{g.Attribute}` on {type} is optional: test it with `has` before reading it");
            return Answer.Fail(attr.Type);
        });
    }

    private Answer CheckHasAttr(Capabilities prior, HasAttrExpr h)
    {
        var target = ExpectOneOf(prior, h.Target, [CedarType.AnyEntity, CedarType.AnyRecord]);
        return target.Then((type, _) =>
        {
            if (type is null)
            {
                return Answer.Fail(CedarType.Bool);
            }

            var key = _keys.Attribute(h.Target, h.Attribute);
            var attr = TypeRelations.LookupAttribute(_schema, type, h.Attribute);
            if (attr is null)
            {
                return Answer.Success(TypeRelations.MayHaveAttribute(_schema, type, h.Attribute) ? CedarType.Bool : CedarType.False);
            }

            // Entities may be missing from the store, so `has` on a required entity attribute is only known true
            // for records, or when an earlier test already proved it.
            var known = prior.Contains(key) || (attr.Required && type is RecordType);
            return Answer.Success(known ? CedarType.True : CedarType.Bool, Capabilities.Of(key));
        });
    }

    private Answer CheckIs(Capabilities prior, IsExpr isExpr)
    {
        var target = Expect(prior, isExpr.Target, CedarType.AnyEntity);
        return target.Then((type, _) => type switch
        {
            EntityLubType { IsAny: true } => Answer.Success(CedarType.Bool),
            EntityLubType e when !e.Types!.Contains(isExpr.EntityType) => Answer.Success(CedarType.False),
            EntityLubType e when e.Single == isExpr.EntityType => Answer.Success(CedarType.True),
            EntityLubType => Answer.Success(CedarType.Bool),
            _ => Answer.Fail(CedarType.Bool),
        });
    }

    private Answer CheckSet(Capabilities prior, SetExpr set)
    {
        var answers = set.Items.Select(item => Check(prior, item)).ToList();
        var allOk = answers.All(a => a.Ok);
        var lub = LubOrError(set, answers.Select(a => a.Type).ToList(), "the elements of a set");
        Answer result;
        if (set.Items.Count == 0)
        {
            Error(set, ValidationIssueKind.EmptySetForbidden, "the empty set literal `[]` is not allowed by strict validation: its element type is unknown");
            result = Answer.Fail(null);
        }
        else
        {
            result = lub is null ? Answer.Fail(null) : Answer.Success(CedarType.SetOf(lub));
        }

        return allOk ? result : result with { Ok = false };
    }

    private Answer CheckRecord(Capabilities prior, RecordExpr record)
    {
        var answers = record.Fields.Select(f => (f.Key, Answer: Check(prior, f.Value))).ToList();
        var allOk = answers.All(a => a.Answer.Ok);
        if (answers.Any(a => a.Answer.Type is null))
        {
            return Answer.Fail(null);
        }

        var attrs = new Dictionary<string, AttributeType>(StringComparer.Ordinal);
        foreach (var (key, answer) in answers)
        {
            attrs[key] = new AttributeType(answer.Type!, true);
        }

        var type = new RecordType(attrs, open: false);
        return allOk ? Answer.Success(type) : Answer.Fail(type);
    }

    /// <summary>The least upper bound of the types; reports incompatible types. Null if a type is missing or there is none.</summary>
    private CedarType? LubOrError(Expr at, IReadOnlyList<CedarType?> types, string what)
    {
        if (types.Any(t => t is null))
        {
            return null;
        }

        var lub = TypeRelations.Reduce(types!, Strict);
        if (lub is null)
        {
            Error(at, ValidationIssueKind.IncompatibleTypes, $"{what} have incompatible types: {string.Join(", ", types.Distinct().Select(t => t!.ToString()))}");
        }

        return lub;
    }
}
