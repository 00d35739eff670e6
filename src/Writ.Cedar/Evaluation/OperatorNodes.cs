using Writ.Cedar.Ast;
using Writ.Cedar.Values;

namespace Writ.Cedar.Evaluation;

internal sealed class EqNode(Node left, Node right, bool negate) : Node
{
    public override Value? Eval(EvalContext c)
    {
        var l = left.Eval(c);
        if (l is null)
        {
            return null;
        }

        var r = right.Eval(c);
        if (r is null)
        {
            return null;
        }

        return BoolValue.Of(l.Equals(r) != negate);
    }
}

/// <summary><c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c> on longs, datetimes and durations.</summary>
internal sealed class CompareNode(Node left, Node right, BinaryOp op) : Node
{
    public override Value? Eval(EvalContext c)
    {
        var l = left.Eval(c);
        if (l is null)
        {
            return null;
        }

        var r = right.Eval(c);
        if (r is null)
        {
            return null;
        }

        long a, b;
        switch (l)
        {
            case LongValue la when r is LongValue lb:
                a = la.Value;
                b = lb.Value;
                break;
            case DatetimeValue da when r is DatetimeValue db:
                a = da.Milliseconds;
                b = db.Milliseconds;
                break;
            case DurationValue ua when r is DurationValue ub:
                a = ua.Milliseconds;
                b = ub.Milliseconds;
                break;
            default:
                return l is LongValue or DatetimeValue or DurationValue
                    ? c.TypeError(l.TypeName, r)
                    : c.TypeError("long, datetime or duration", l);
        }

        var result = op switch
        {
            BinaryOp.Less => a < b,
            BinaryOp.LessEq => a <= b,
            BinaryOp.Greater => a > b,
            _ => a >= b,
        };
        return BoolValue.Of(result);
    }
}

internal sealed class ArithNode(Node left, Node right, BinaryOp op) : Node
{
    public override Value? Eval(EvalContext c)
    {
        var l = left.Eval(c);
        if (l is null)
        {
            return null;
        }

        var r = right.Eval(c);
        if (r is null)
        {
            return null;
        }

        if (l is not LongValue a)
        {
            return c.TypeError("long", l);
        }

        if (r is not LongValue b)
        {
            return c.TypeError("long", r);
        }

        long result;
        bool overflow;
        switch (op)
        {
            case BinaryOp.Add:
                result = unchecked(a.Value + b.Value);
                overflow = ((a.Value ^ result) & (b.Value ^ result)) < 0;
                break;
            case BinaryOp.Sub:
                result = unchecked(a.Value - b.Value);
                overflow = ((a.Value ^ b.Value) & (a.Value ^ result)) < 0;
                break;
            default:
                {
                    var wide = Math.BigMul(a.Value, b.Value, out var low);
                    result = low;
                    overflow = wide != (low >> 63);
                    break;
                }
        }

        if (overflow)
        {
            var sym = op switch { BinaryOp.Add => "+", BinaryOp.Sub => "-", _ => "*" };
            return c.Fail(EvaluationErrorKind.Overflow, $"integer overflow while evaluating {a.Value} {sym} {b.Value}");
        }

        return LongValue.Of(result);
    }
}

internal sealed class InNode(Node left, Node right) : Node
{
    public override Value? Eval(EvalContext c)
    {
        var l = left.Eval(c);
        if (l is null)
        {
            return null;
        }

        var r = right.Eval(c);
        if (r is null)
        {
            return null;
        }

        if (l is not EntityUid uid)
        {
            return c.TypeError("entity", l);
        }

        return Evaluate(c, uid, r);
    }

    internal static Value? Evaluate(EvalContext c, EntityUid uid, Value r)
    {
        if (r is EntityUid target)
        {
            return BoolValue.Of(c.Entities.IsIn(uid, target));
        }

        if (r is not SetValue set)
        {
            return c.TypeError("entity or set", r);
        }

        var found = false;
        foreach (var item in set.Items)
        {
            if (item is not EntityUid t)
            {
                return c.TypeError("entity", item);
            }

            if (!found && c.Entities.IsIn(uid, t))
            {
                found = true;
            }
        }

        return BoolValue.Of(found);
    }
}

internal sealed class ContainsNode(Node left, Node right) : Node
{
    public override Value? Eval(EvalContext c)
    {
        var l = left.Eval(c);
        if (l is null)
        {
            return null;
        }

        var r = right.Eval(c);
        if (r is null)
        {
            return null;
        }

        return l is SetValue s ? BoolValue.Of(s.Contains(r)) : c.TypeError("set", l);
    }
}

internal sealed class ContainsAllAnyNode(Node left, Node right, bool all) : Node
{
    public override Value? Eval(EvalContext c)
    {
        var l = left.Eval(c);
        if (l is null)
        {
            return null;
        }

        var r = right.Eval(c);
        if (r is null)
        {
            return null;
        }

        if (l is not SetValue a)
        {
            return c.TypeError("set", l);
        }

        if (r is not SetValue b)
        {
            return c.TypeError("set", r);
        }

        return BoolValue.Of(all ? a.ContainsAll(b) : a.ContainsAny(b));
    }
}

internal sealed class TagNode(Node left, Node right, bool get) : Node
{
    public override Value? Eval(EvalContext c)
    {
        var l = left.Eval(c);
        if (l is null)
        {
            return null;
        }

        var r = right.Eval(c);
        if (r is null)
        {
            return null;
        }

        if (l is not EntityUid uid)
        {
            return c.TypeError("entity", l);
        }

        if (r is not StringValue tag)
        {
            return c.TypeError("string", r);
        }

        if (!c.Entities.TryGet(uid, out var entity))
        {
            return get ? c.Fail(EvaluationErrorKind.EntityDoesNotExist, $"entity {uid} does not exist") : BoolValue.False;
        }

        if (!get)
        {
            return BoolValue.Of(entity.Tags.ContainsKey(tag.Value));
        }

        return entity.Tags.TryGetValue(tag.Value, out var v)
            ? v
            : c.Fail(EvaluationErrorKind.TagDoesNotExist, $"entity {uid} does not have the tag {CedarText.Quote(tag.Value)}");
    }
}

internal sealed class LikeNode(Node target, LikePattern pattern) : Node
{
    public override Value? Eval(EvalContext c)
    {
        var v = target.Eval(c);
        if (v is null)
        {
            return null;
        }

        return v is StringValue s ? BoolValue.Of(pattern.IsMatch(s.Value)) : c.TypeError("string", v);
    }
}

internal sealed class IsNode(Node target, EntityType type, Node? inNode) : Node
{
    public override Value? Eval(EvalContext c)
    {
        var v = target.Eval(c);
        if (v is null)
        {
            return null;
        }

        if (v is not EntityUid uid)
        {
            return c.TypeError("entity", v);
        }

        if (!uid.Type.Equals(type))
        {
            return BoolValue.False;
        }

        if (inNode is null)
        {
            return BoolValue.True;
        }

        // `e is T in x` means `e is T && e in x`; evaluation is pure, so the operand's value is reused.
        var r = inNode.Eval(c);
        return r is null ? null : InNode.Evaluate(c, uid, r);
    }
}
