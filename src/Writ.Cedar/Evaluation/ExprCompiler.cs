using System.Runtime.CompilerServices;
using Writ.Cedar.Ast;
using Writ.Cedar.Authorization;
using Writ.Cedar.Extensions;
using Writ.Cedar.Values;

namespace Writ.Cedar.Evaluation;

/// <summary>
/// Turns an expression tree into evaluation nodes. Sub-expressions made only of literals are evaluated once here
/// when they succeed, so request-time work is limited to what depends on the request.
/// </summary>
internal static class ExprCompiler
{
    private static readonly Node Principal = new PrincipalNode();
    private static readonly Node Action = new ActionNode();
    private static readonly Node Resource = new ResourceNode();
    private static readonly Node Context = new ContextNode();
    private static readonly Request FoldRequest =
        new(new EntityUid("__fold", string.Empty), new EntityUid("__fold", string.Empty), new EntityUid("__fold", string.Empty));

    public static Node Compile(Expr e)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            return new ErrorNode(EvaluationErrorKind.LimitExceeded, "expression is nested too deeply to evaluate");
        }

        return CompileRaw(e);
    }

    /// <summary>
    /// Evaluates <paramref name="node"/> once when all its operands are constants and it does not read entities,
    /// since the result is then the same for every request. Failing operations are kept, to fail at request time.
    /// </summary>
    private static Node Fold(Node node, params Node[] children)
    {
        foreach (var child in children)
        {
            if (child is not ConstNode)
            {
                return node;
            }
        }

        var v = node.Eval(new EvalContext(FoldRequest, EntityStore.Empty));
        return v is null ? node : new ConstNode(v);
    }

    private static Node CompileRaw(Expr e)
    {
        switch (e)
        {
            case LiteralExpr l:
                return new ConstNode(l.Value);
            case VarExpr v:
                return v.Var switch
                {
                    Var.Principal => Principal,
                    Var.Action => Action,
                    Var.Resource => Resource,
                    _ => Context,
                };
            case SlotExpr s:
                return new ErrorNode(EvaluationErrorKind.UnlinkedSlot, $"template slot ?{Policy.SlotName(s.Slot)} is not linked");
            case IfExpr i:
                {
                    var c = Compile(i.Condition);
                    var t = Compile(i.Then);
                    var f = Compile(i.Else);
                    return Fold(new IfNode(c, t, f), c, t, f);
                }
            case AndExpr a:
                {
                    var l = Compile(a.Left);
                    var r = Compile(a.Right);
                    return Fold(new AndNode(l, r), l, r);
                }
            case OrExpr o:
                {
                    var l = Compile(o.Left);
                    var r = Compile(o.Right);
                    return Fold(new OrNode(l, r), l, r);
                }
            case UnaryExpr u:
                {
                    var operand = Compile(u.Operand);
                    Node node = u.Op switch
                    {
                        UnaryOp.Not => new NotNode(operand),
                        UnaryOp.Neg => new NegNode(operand),
                        _ => new IsEmptyNode(operand),
                    };
                    return Fold(node, operand);
                }

            case BinaryExpr b:
                {
                    var l = Compile(b.Left);
                    var r = Compile(b.Right);
                    Node node = b.Op switch
                    {
                        BinaryOp.Eq => new EqNode(l, r, negate: false),
                        BinaryOp.NotEq => new EqNode(l, r, negate: true),
                        BinaryOp.Less or BinaryOp.LessEq or BinaryOp.Greater or BinaryOp.GreaterEq => new CompareNode(l, r, b.Op),
                        BinaryOp.Add or BinaryOp.Sub or BinaryOp.Mul => new ArithNode(l, r, b.Op),
                        BinaryOp.In => new InNode(l, r),
                        BinaryOp.Contains => new ContainsNode(l, r),
                        BinaryOp.ContainsAll => new ContainsAllAnyNode(l, r, all: true),
                        BinaryOp.ContainsAny => new ContainsAllAnyNode(l, r, all: false),
                        BinaryOp.GetTag => new TagNode(l, r, get: true),
                        _ => new TagNode(l, r, get: false),
                    };
                    return b.Op is BinaryOp.In or BinaryOp.GetTag or BinaryOp.HasTag ? node : Fold(node, l, r);
                }

            case HasAttrExpr h:
                return new HasAttrNode(Compile(h.Target), h.Attribute);
            case GetAttrExpr g:
                return new GetAttrNode(Compile(g.Target), g.Attribute);
            case LikeExpr l:
                {
                    var t = Compile(l.Target);
                    return Fold(new LikeNode(t, l.Pattern), t);
                }
            case IsExpr i:
                return new IsNode(Compile(i.Target), i.EntityType, i.In is null ? null : Compile(i.In));
            case SetExpr s:
                {
                    Node[] items = [.. s.Items.Select(Compile)];
                    return Fold(new SetNode(items), items);
                }
            case RecordExpr r:
                {
                    Node[] values = [.. r.Fields.Select(f => Compile(f.Value))];
                    return Fold(new RecordNode([.. r.Fields.Select(f => f.Key)], values), values);
                }
            case ExtensionCallExpr x:
                {
                    var fn = ExtensionFunctions.Find(x.FunctionName);
                    var args = x.Arguments.Select(Compile).ToArray();
                    return fn is null
                        ? new ErrorNode(EvaluationErrorKind.ExtensionError, $"unknown extension function {x.FunctionName}")
                        : Fold(new CallNode(x.FunctionName, fn, args), args);
                }

            default:
                throw new ArgumentException("unknown expression node " + e.GetType().Name, nameof(e));
        }
    }
}
