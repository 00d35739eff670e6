using Writ.Cedar.Values;

namespace Writ.Cedar.Evaluation;

/// <summary>A compiled expression. Returns the value, or null after recording an error in the context.</summary>
internal abstract class Node
{
    public abstract Value? Eval(EvalContext c);

    /// <summary>The constant this node always produces, if it is one.</summary>
    public virtual Value? Constant => null;
}

internal sealed class ConstNode(Value value) : Node
{
    public override Value? Constant => value;

    public override Value? Eval(EvalContext c) => value;
}

internal sealed class PrincipalNode : Node
{
    public override Value? Eval(EvalContext c) => c.Principal;
}

internal sealed class ActionNode : Node
{
    public override Value? Eval(EvalContext c) => c.Action;
}

internal sealed class ResourceNode : Node
{
    public override Value? Eval(EvalContext c) => c.Resource;
}

internal sealed class ContextNode : Node
{
    public override Value? Eval(EvalContext c) => c.Context;
}

internal sealed class ErrorNode(EvaluationErrorKind kind, string message) : Node
{
    public override Value? Eval(EvalContext c) => c.Fail(kind, message);
}

internal sealed class IfNode(Node cond, Node then, Node @else) : Node
{
    public override Value? Eval(EvalContext c)
    {
        var v = cond.Eval(c);
        if (v is null)
        {
            return null;
        }

        if (v is not BoolValue b)
        {
            return c.TypeError("bool", v);
        }

        return b.Value ? then.Eval(c) : @else.Eval(c);
    }
}

internal sealed class AndNode(Node left, Node right) : Node
{
    public override Value? Eval(EvalContext c)
    {
        var l = left.Eval(c);
        if (l is null)
        {
            return null;
        }

        if (l is not BoolValue lb)
        {
            return c.TypeError("bool", l);
        }

        if (!lb.Value)
        {
            return BoolValue.False;
        }

        var r = right.Eval(c);
        if (r is null)
        {
            return null;
        }

        return r is BoolValue ? r : c.TypeError("bool", r);
    }
}

internal sealed class OrNode(Node left, Node right) : Node
{
    public override Value? Eval(EvalContext c)
    {
        var l = left.Eval(c);
        if (l is null)
        {
            return null;
        }

        if (l is not BoolValue lb)
        {
            return c.TypeError("bool", l);
        }

        if (lb.Value)
        {
            return BoolValue.True;
        }

        var r = right.Eval(c);
        if (r is null)
        {
            return null;
        }

        return r is BoolValue ? r : c.TypeError("bool", r);
    }
}

internal sealed class NotNode(Node operand) : Node
{
    public override Value? Eval(EvalContext c)
    {
        var v = operand.Eval(c);
        if (v is null)
        {
            return null;
        }

        return v is BoolValue b ? BoolValue.Of(!b.Value) : c.TypeError("bool", v);
    }
}

internal sealed class NegNode(Node operand) : Node
{
    public override Value? Eval(EvalContext c)
    {
        var v = operand.Eval(c);
        if (v is null)
        {
            return null;
        }

        if (v is not LongValue l)
        {
            return c.TypeError("long", v);
        }

        return l.Value == long.MinValue
            ? c.Fail(EvaluationErrorKind.Overflow, $"integer overflow while negating {l.Value}")
            : LongValue.Of(-l.Value);
    }
}

internal sealed class IsEmptyNode(Node operand) : Node
{
    public override Value? Eval(EvalContext c)
    {
        var v = operand.Eval(c);
        if (v is null)
        {
            return null;
        }

        return v is SetValue s ? BoolValue.Of(s.Count == 0) : c.TypeError("set", v);
    }
}
