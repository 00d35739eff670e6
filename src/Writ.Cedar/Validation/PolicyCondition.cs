using Writ.Cedar.Ast;
using Writ.Cedar.Values;

namespace Writ.Cedar.Validation;

/// <summary>
/// Builds the single expression Cedar typechecks for a policy: the scope constraints, then the conditions
/// (<c>unless</c> negated), joined with <c>&amp;&amp;</c> exactly as Cedar nests them.
/// </summary>
internal static class PolicyCondition
{
    public static Expr Build(Policy policy)
    {
        Expr body = new LiteralExpr(BoolValue.Of(true));
        if (policy.Conditions.Count > 0)
        {
            body = Clause(policy.Conditions[^1]);
            for (var i = policy.Conditions.Count - 2; i >= 0; i--)
            {
                body = new AndExpr(Clause(policy.Conditions[i]), body, policy.Span);
            }
        }

        var resource = new AndExpr(Scope(Var.Resource, policy.Resource), body, policy.Span);
        var action = new AndExpr(ActionScope(policy.Action), resource, policy.Span);
        return new AndExpr(Scope(Var.Principal, policy.Principal), action, policy.Span);
    }

    private static Expr Clause(Condition c) => c.Kind == ConditionKind.When ? c.Body : new UnaryExpr(UnaryOp.Not, c.Body, c.Span);

    private static Expr Scope(Var var, ScopeConstraint scope)
    {
        var v = new VarExpr(var, scope.Span);
        Expr Operand() => scope.Slot is { } slot ? new SlotExpr(slot, scope.Span) : new LiteralExpr(scope.Entity!, scope.Span);
        return scope.Kind switch
        {
            ScopeKind.Eq => new BinaryExpr(BinaryOp.Eq, v, Operand(), scope.Span),
            ScopeKind.In => new BinaryExpr(BinaryOp.In, v, Operand(), scope.Span),
            ScopeKind.Is => new IsExpr(v, scope.EntityType!, null, scope.Span),
            ScopeKind.IsIn => new AndExpr(new IsExpr(v, scope.EntityType!, null, scope.Span), new BinaryExpr(BinaryOp.In, v, Operand(), scope.Span), scope.Span),
            _ => new LiteralExpr(BoolValue.Of(true), scope.Span),
        };
    }

    private static Expr ActionScope(ActionConstraint scope)
    {
        var v = new VarExpr(Var.Action, scope.Span);
        return scope.Kind switch
        {
            ActionScopeKind.Eq => new BinaryExpr(BinaryOp.Eq, v, new LiteralExpr(scope.Entities[0], scope.Span), scope.Span),
            // Cedar always compares `action in ...` against a set literal, even for a single entity.
            ActionScopeKind.In or ActionScopeKind.InList => new BinaryExpr(
                BinaryOp.In, v, new SetExpr(scope.Entities.Select(e => (Expr)new LiteralExpr(e, scope.Span)).ToList(), scope.Span), scope.Span),
            _ => new LiteralExpr(BoolValue.Of(true), scope.Span),
        };
    }

    /// <summary>Collects entity types (from literals and <c>is</c>) and entity literals in the expression.</summary>
    public static void CollectEntities(Expr root, List<(EntityType, SourceSpan)> types, List<(EntityUid, SourceSpan)> uids)
    {
        var stack = new Stack<Expr>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            switch (e)
            {
                case LiteralExpr { Value: EntityUid uid }:
                    types.Add((uid.Type, e.Span));
                    uids.Add((uid, e.Span));
                    break;
                case IfExpr i:
                    stack.Push(i.Else);
                    stack.Push(i.Then);
                    stack.Push(i.Condition);
                    break;
                case AndExpr a:
                    stack.Push(a.Right);
                    stack.Push(a.Left);
                    break;
                case OrExpr o:
                    stack.Push(o.Right);
                    stack.Push(o.Left);
                    break;
                case UnaryExpr u:
                    stack.Push(u.Operand);
                    break;
                case BinaryExpr b:
                    stack.Push(b.Right);
                    stack.Push(b.Left);
                    break;
                case HasAttrExpr h:
                    stack.Push(h.Target);
                    break;
                case GetAttrExpr g:
                    stack.Push(g.Target);
                    break;
                case LikeExpr l:
                    stack.Push(l.Target);
                    break;
                case IsExpr isExpr:
                    types.Add((isExpr.EntityType, e.Span));
                    if (isExpr.In is not null)
                    {
                        stack.Push(isExpr.In);
                    }

                    stack.Push(isExpr.Target);
                    break;
                case SetExpr s:
                    foreach (var item in s.Items)
                    {
                        stack.Push(item);
                    }

                    break;
                case RecordExpr r:
                    foreach (var f in r.Fields)
                    {
                        stack.Push(f.Value);
                    }

                    break;
                case ExtensionCallExpr c:
                    foreach (var arg in c.Arguments)
                    {
                        stack.Push(arg);
                    }

                    break;
            }
        }
    }
}
