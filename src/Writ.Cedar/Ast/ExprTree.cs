namespace Writ.Cedar.Ast;

/// <summary>Walks an expression tree without recursion, so hostile nesting cannot overflow the stack.</summary>
internal static class ExprTree
{
    /// <summary>The first template slot anywhere in <paramref name="root"/>, or null when it has none.</summary>
    public static SlotExpr? FindSlot(Expr root)
    {
        var stack = new Stack<Expr>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            switch (stack.Pop())
            {
                case SlotExpr slot:
                    return slot;
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
                case IsExpr s:
                    if (s.In is not null)
                    {
                        stack.Push(s.In);
                    }

                    stack.Push(s.Target);
                    break;
                case SetExpr s:
                    PushAll(stack, s.Items);
                    break;
                case RecordExpr r:
                    for (var k = r.Fields.Count - 1; k >= 0; k--)
                    {
                        stack.Push(r.Fields[k].Value);
                    }

                    break;
                case ExtensionCallExpr c:
                    PushAll(stack, c.Arguments);
                    break;
                default:
                    break;
            }
        }

        return null;
    }

    // Children pushed last to first, so they are visited in source order.
    private static void PushAll(Stack<Expr> stack, IReadOnlyList<Expr> children)
    {
        for (var k = children.Count - 1; k >= 0; k--)
        {
            stack.Push(children[k]);
        }
    }
}
