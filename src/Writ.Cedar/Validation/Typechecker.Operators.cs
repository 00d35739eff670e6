using Writ.Cedar.Ast;
using Writ.Cedar.Schema;
using Writ.Cedar.Values;

namespace Writ.Cedar.Validation;

internal sealed partial class Typechecker
{
    private Answer CheckBinary(Capabilities prior, BinaryExpr b)
    {
        switch (b.Op)
        {
            case BinaryOp.NotEq:
                // Cedar has no `!=` node: it is `!(a == b)`.
                return CheckUnary(prior, new UnaryExpr(UnaryOp.Not, new BinaryExpr(BinaryOp.Eq, b.Left, b.Right, b.Span), b.Span));
            case BinaryOp.Eq:
                return CheckEquality(prior, b);
            case BinaryOp.Less or BinaryOp.LessEq:
                return CheckComparison(prior, b.Left, b.Right);
            case BinaryOp.Greater or BinaryOp.GreaterEq:
                // `a > b` is `b < a` in Cedar.
                return CheckComparison(prior, b.Right, b.Left);
            case BinaryOp.Add or BinaryOp.Sub or BinaryOp.Mul:
                return Expect(prior, b.Left, CedarType.Long)
                    .Then((_, _) => Expect(prior, b.Right, CedarType.Long).Then((_, _) => Answer.Success(CedarType.Long)));
            case BinaryOp.In:
                return CheckIn(prior, b);
            case BinaryOp.Contains:
                return Expect(prior, b.Left, CedarType.AnySet).Then((setType, _) =>
                    Check(prior, b.Right).Then((elemType, _) =>
                        StrictEquality(b, CedarType.Bool, (setType as SetType)?.Element, elemType, "the set element type and the tested value")));
            case BinaryOp.ContainsAll or BinaryOp.ContainsAny:
                return Expect(prior, b.Left, CedarType.AnySet).Then((t1, _) =>
                    Expect(prior, b.Right, CedarType.AnySet).Then((t2, _) =>
                        StrictEquality(b, CedarType.Bool, t1, t2, "the two sets")));
            case BinaryOp.HasTag:
                return CheckHasTag(prior, b);
            default:
                return CheckGetTag(prior, b);
        }
    }

    private Answer CheckEquality(Capabilities prior, BinaryExpr b)
    {
        var lhs = Check(prior, b.Left);
        var rhs = Check(prior, b.Right);
        return lhs.Then((lt, _) => rhs.Then((rt, _) =>
        {
            var type = TypeOfEquality(b.Left, lt, b.Right, rt);
            return StrictEquality(b, type, lt, rt, "the operands of `==`");
        }));
    }

    private CedarType TypeOfEquality(Expr left, CedarType? lt, Expr right, CedarType? rt)
    {
        if (lt is not null && rt is not null && TypeRelations.AreDisjoint(lt, rt))
        {
            return CedarType.False;
        }

        if (LiteralOrAction(left) is { } l && LiteralOrAction(right) is { } r)
        {
            return CedarType.Singleton(l.Equals(r));
        }

        return CedarType.Bool;
    }

    /// <summary>The value of a literal, or of the action variable (whose value the environment fixes).</summary>
    private Value? LiteralOrAction(Expr e) => e switch
    {
        LiteralExpr { Value: BoolValue or LongValue or StringValue or EntityUid } lit => lit.Value,
        VarExpr { Var: Var.Action } => _env.Action,
        _ => null,
    };

    private Answer StrictEquality(Expr at, CedarType resultType, CedarType? lt, CedarType? rt, string what)
    {
        if (resultType is BoolType { Kind: not BoolKind.Any } || lt is null || rt is null)
        {
            return Answer.Success(resultType);
        }

        if (TypeRelations.LeastUpperBound(lt, rt, Strict) is null)
        {
            Error(at, ValidationIssueKind.IncompatibleTypes, $"{what} have incompatible types: {lt} and {rt}");
            return Answer.Fail(resultType);
        }

        return Answer.Success(resultType);
    }

    private Answer CheckComparison(Capabilities prior, Expr left, Expr right)
    {
        return Check(prior, left).Then((t1, _) => Check(prior, right).Then((t2, _) =>
        {
            switch (t1, t2)
            {
                case (null, _) or (_, null):
                    return Answer.Fail(CedarType.Bool);
                case (NeverType, NeverType):
                    return Answer.Fail(CedarType.Bool);
                case (NeverType, _):
                    return ComparableOrError(right, t2);
                case (_, NeverType):
                    return ComparableOrError(left, t1);
            }

            if (t1.Equals(t2) && ExtensionSignatures.IsComparable(t1))
            {
                return Answer.Success(CedarType.Bool);
            }

            if (ExtensionSignatures.IsComparable(t1))
            {
                Error(right, ValidationIssueKind.UnexpectedType, $"unexpected type: expected {t1} but saw {t2}");
            }
            else if (ExtensionSignatures.IsComparable(t2))
            {
                Error(left, ValidationIssueKind.UnexpectedType, $"unexpected type: expected {t2} but saw {t1}");
            }
            else
            {
                Error(left, ValidationIssueKind.UnexpectedType, $"unexpected type: expected Long, datetime or duration but saw {t1}");
                Error(right, ValidationIssueKind.UnexpectedType, $"unexpected type: expected Long, datetime or duration but saw {t2}");
            }

            return Answer.Fail(CedarType.Bool);
        }));

        Answer ComparableOrError(Expr e, CedarType t)
        {
            if (ExtensionSignatures.IsComparable(t))
            {
                return Answer.Success(CedarType.Bool);
            }

            Error(e, ValidationIssueKind.UnexpectedType, $"unexpected type: expected Long, datetime or duration but saw {t}");
            return Answer.Fail(CedarType.Bool);
        }
    }

    private Answer CheckIn(Capabilities prior, BinaryExpr b)
    {
        var lhs = Expect(prior, b.Left, CedarType.AnyEntity);
        var rhs = ExpectOneOf(prior, b.Right, [CedarType.SetOf(CedarType.AnyEntity), CedarType.AnyEntity]);
        var bothOk = lhs.Ok && rhs.Ok;
        return lhs.Then((lt, _) => rhs.Then((rt, _) =>
        {
            if (!bothOk)
            {
                return Answer.Fail(CedarType.Bool);
            }

            if (LiteralOrAction(b.Left) is EntityUid lhsUid && lhsUid.Type.IsAction && EntityLiteralsOrAction(b.Right) is { } rhsUids)
            {
                var rhsActions = rhsUids.Where(u => u.Type.IsAction).ToList();
                if (rhsActions.Count == 0)
                {
                    return Answer.Success(CedarType.False);
                }

                var descendants = _schema.ActionsIn(rhsActions);
                return descendants is null ? Answer.Fail(CedarType.Bool) : Answer.Success(CedarType.Singleton(descendants.Contains(lhsUid)));
            }

            var lhsTypes = lt is EntityLubType { IsAny: false } l ? l : null;
            var rhsTypes = rt switch
            {
                EntityLubType { IsAny: false } r => r,
                SetType { Element: EntityLubType { IsAny: false } r } => r,
                _ => null,
            };
            if (lhsTypes is not null && rhsTypes is not null && !AnyDescendantOf(lhsTypes, rhsTypes))
            {
                return Answer.Success(CedarType.False);
            }

            return Answer.Success(CedarType.Bool);
        }));
    }

    private List<EntityUid>? EntityLiteralsOrAction(Expr e)
    {
        if (LiteralOrAction(e) is EntityUid uid)
        {
            return [uid];
        }

        if (e is SetExpr set)
        {
            var list = new List<EntityUid>();
            foreach (var item in set.Items)
            {
                if (LiteralOrAction(item) is not EntityUid u)
                {
                    return null;
                }

                list.Add(u);
            }

            return list;
        }

        return null;
    }

    private bool AnyDescendantOf(EntityLubType lhs, EntityLubType rhs) =>
        lhs.Types!.Any(l => rhs.Types!.Any(r => _schema.EntityTypesIn(r).Contains(l) || ActionTypeIn(l, r)));

    private bool ActionTypeIn(EntityType l, EntityType r) =>
        l == r || _schema.Actions.Values.Any(a => a.Uid.Type == r && a.Descendants.Any(d => d.Type == l));

    private HashSet<CedarType> TagTypes(EntityLubType kind)
    {
        var types = kind.IsAny ? _schema.EntityTypes.Values : kind.Types!.Select(_schema.GetEntityType).OfType<SchemaEntityType>();
        return types.Select(t => t.Tags).OfType<CedarType>().ToHashSet();
    }

    private Answer CheckHasTag(Capabilities prior, BinaryExpr b) =>
        Expect(prior, b.Left, CedarType.AnyEntity).Then((t1, _) =>
            Expect(prior, b.Right, CedarType.String).Then((_, _) =>
            {
                if (t1 is not EntityLubType kind)
                {
                    return Answer.Fail(null);
                }

                var key = _keys.Tag(b.Left, b.Right);
                CedarType type = TagTypes(kind).Count == 0 ? CedarType.False : prior.Contains(key) ? CedarType.True : CedarType.Bool;
                return Answer.Success(type, Capabilities.Of(key));
            }));

    private Answer CheckGetTag(Capabilities prior, BinaryExpr b) =>
        Expect(prior, b.Left, CedarType.AnyEntity).Then((t1, _) =>
            Expect(prior, b.Right, CedarType.String).Then((_, _) =>
            {
                if (t1 is not EntityLubType kind)
                {
                    return Answer.Fail(null);
                }

                if (!prior.Contains(_keys.Tag(b.Left, b.Right)))
                {
                    Error(b, ValidationIssueKind.UnsafeTagAccess, $"tag `{b.Right}` on {kind} may be absent: test it with `hasTag` before reading it");
                    return Answer.Fail(null);
                }

                var tagTypes = TagTypes(kind);
                if (tagTypes.Count == 0)
                {
                    Error(b, ValidationIssueKind.NoTagsAllowed, $"entities of type {kind} have no tags");
                    return Answer.Fail(null);
                }

                var lub = TypeRelations.Reduce(tagTypes, Strict);
                if (lub is null)
                {
                    Error(b, ValidationIssueKind.IncompatibleTypes, $"the tag types of {kind} are incompatible: {string.Join(", ", tagTypes)}");
                    return Answer.Fail(null);
                }

                return Answer.Success(lub);
            }));

    private Answer CheckExtensionCall(Capabilities prior, ExtensionCallExpr call)
    {
        var sig = ExtensionSignatures.Find(call.FunctionName);
        if (sig is null)
        {
            Error(call, ValidationIssueKind.UndefinedFunction, $"undefined extension function `{call.FunctionName}`");
            foreach (var arg in call.Arguments)
            {
                Check(prior, arg);
            }

            return Answer.Fail(null);
        }

        var failed = false;
        if (call.Arguments.Count != sig.Arguments.Count)
        {
            Error(call, ValidationIssueKind.WrongNumberArguments, $"`{sig.Name}` takes {sig.Arguments.Count} argument(s) but was given {call.Arguments.Count}");
            failed = true;
        }

        if (sig.IsConstructor)
        {
            if (call.Arguments.Count == 1 && call.Arguments[0] is LiteralExpr { Value: StringValue s } && !ExtensionLiterals.IsValid(sig.Name, s.Value))
            {
                Error(call, ValidationIssueKind.FunctionArgumentValidation, $"failed to parse as {(sig.Name == "ip" ? "an ipaddr" : "a " + sig.Name)} value: {CedarText.Quote(s.Value)}");
                failed = true;
            }

            if (!call.Arguments.All(a => a is LiteralExpr))
            {
                Error(call, ValidationIssueKind.NonLiteralExtensionConstructor, $"strict validation requires the argument of `{sig.Name}` to be a literal string");
                failed = true;
            }
        }

        if (failed)
        {
            foreach (var arg in call.Arguments)
            {
                Check(prior, arg);
            }

            return Answer.Fail(sig.Result);
        }

        var answers = call.Arguments.Select((arg, i) => Expect(prior, arg, sig.Arguments[i])).ToList();
        return answers.All(a => a.Ok) ? Answer.Success(sig.Result) : Answer.Fail(sig.Result);
    }
}
