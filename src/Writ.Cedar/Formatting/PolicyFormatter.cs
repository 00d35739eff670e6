using System.Text;
using Writ.Cedar.Ast;
using Writ.Cedar.Values;

namespace Writ.Cedar.Formatting;

/// <summary>Prints policies and expressions as canonical Cedar text that parses back to the same AST.</summary>
public static class PolicyFormatter
{
    private const int PrecOr = 1;
    private const int PrecAnd = 2;
    private const int PrecRel = 3;
    private const int PrecAdd = 4;
    private const int PrecMul = 5;
    private const int PrecUnary = 6;
    private const int PrecMember = 7;

    private static readonly HashSet<string> Constructors = new(StringComparer.Ordinal) { "decimal", "ip", "datetime", "duration" };

    /// <summary>Formats a set of policies, separated by blank lines.</summary>
    public static string Format(IEnumerable<Policy> policies)
    {
        var sb = new StringBuilder();
        foreach (var p in policies)
        {
            if (sb.Length > 0)
            {
                sb.Append('\n');
            }

            AppendPolicy(sb, p);
            sb.Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>Formats one policy or template.</summary>
    public static string Format(Policy policy)
    {
        var sb = new StringBuilder();
        AppendPolicy(sb, policy);
        return sb.ToString();
    }

    /// <summary>Formats one expression.</summary>
    public static string FormatExpr(Expr expr)
    {
        var sb = new StringBuilder();
        Append(sb, expr, 0);
        return sb.ToString();
    }

    private static void AppendPolicy(StringBuilder sb, Policy p)
    {
        foreach (var a in p.Annotations)
        {
            sb.Append('@').Append(a.Key);
            if (a.Value is not null)
            {
                sb.Append('(');
                CedarText.AppendQuoted(sb, a.Value);
                sb.Append(')');
            }

            sb.Append('\n');
        }

        sb.Append(p.Effect == Effect.Permit ? "permit" : "forbid").Append(" (\n  ");
        AppendScope(sb, "principal", p.Principal);
        sb.Append(",\n  ");
        AppendAction(sb, p.Action);
        sb.Append(",\n  ");
        AppendScope(sb, "resource", p.Resource);
        sb.Append("\n)");
        foreach (var c in p.Conditions)
        {
            sb.Append('\n').Append(c.Kind == ConditionKind.When ? "when" : "unless").Append(" {\n  ");
            Append(sb, c.Body, 0);
            sb.Append("\n}");
        }

        sb.Append(';');
    }

    private static void AppendScope(StringBuilder sb, string var, ScopeConstraint s)
    {
        sb.Append(var);
        switch (s.Kind)
        {
            case ScopeKind.Eq:
                sb.Append(" == ");
                AppendOperand(sb, s);
                break;
            case ScopeKind.In:
                sb.Append(" in ");
                AppendOperand(sb, s);
                break;
            case ScopeKind.Is:
                sb.Append(" is ").Append(s.EntityType!.Name);
                break;
            case ScopeKind.IsIn:
                sb.Append(" is ").Append(s.EntityType!.Name).Append(" in ");
                AppendOperand(sb, s);
                break;
            default:
                break;
        }
    }

    private static void AppendOperand(StringBuilder sb, ScopeConstraint s)
    {
        if (s.Slot is { } slot)
        {
            sb.Append('?').Append(Policy.SlotName(slot));
        }
        else
        {
            sb.Append(s.Entity!);
        }
    }

    private static void AppendAction(StringBuilder sb, ActionConstraint a)
    {
        sb.Append("action");
        switch (a.Kind)
        {
            case ActionScopeKind.Eq:
                sb.Append(" == ").Append(a.Entities[0]);
                break;
            case ActionScopeKind.In:
                sb.Append(" in ").Append(a.Entities[0]);
                break;
            case ActionScopeKind.InList:
                sb.Append(" in [");
                for (var i = 0; i < a.Entities.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }

                    sb.Append(a.Entities[i]);
                }

                sb.Append(']');
                break;
            default:
                break;
        }
    }

    private static int Precedence(Expr e) => e switch
    {
        IfExpr => 0,
        OrExpr => PrecOr,
        AndExpr => PrecAnd,
        BinaryExpr b => b.Op switch
        {
            BinaryOp.Add or BinaryOp.Sub => PrecAdd,
            BinaryOp.Mul => PrecMul,
            BinaryOp.Contains or BinaryOp.ContainsAll or BinaryOp.ContainsAny or BinaryOp.GetTag or BinaryOp.HasTag => PrecMember,
            _ => PrecRel,
        },
        HasAttrExpr or LikeExpr or IsExpr => PrecRel,
        UnaryExpr u => u.Op == UnaryOp.IsEmpty ? PrecMember : PrecUnary,
        LiteralExpr { Value: LongValue { Value: < 0 } } => PrecUnary,
        ExtensionCallExpr x => Constructors.Contains(x.FunctionName) ? 8 : PrecMember,
        GetAttrExpr => PrecMember,
        _ => 8,
    };

    private static void Append(StringBuilder sb, Expr e, int minPrec)
    {
        var prec = Precedence(e);
        var paren = prec < minPrec;
        if (paren)
        {
            sb.Append('(');
        }

        AppendBare(sb, e);
        if (paren)
        {
            sb.Append(')');
        }
    }

    private static void AppendBare(StringBuilder sb, Expr e)
    {
        switch (e)
        {
            case LiteralExpr l:
                sb.Append(l.Value.ToString());
                break;
            case VarExpr v:
                sb.Append(v.Var switch
                {
                    Var.Principal => "principal",
                    Var.Action => "action",
                    Var.Resource => "resource",
                    _ => "context",
                });
                break;
            case SlotExpr s:
                sb.Append('?').Append(Policy.SlotName(s.Slot));
                break;
            case IfExpr i:
                sb.Append("if ");
                Append(sb, i.Condition, 0);
                sb.Append(" then ");
                Append(sb, i.Then, 0);
                sb.Append(" else ");
                Append(sb, i.Else, 0);
                break;
            case OrExpr o:
                Append(sb, o.Left, PrecOr);
                sb.Append(" || ");
                Append(sb, o.Right, PrecAnd);
                break;
            case AndExpr a:
                Append(sb, a.Left, PrecAnd);
                sb.Append(" && ");
                Append(sb, a.Right, PrecRel);
                break;
            case UnaryExpr u:
                AppendUnary(sb, u);
                break;
            case BinaryExpr b:
                AppendBinary(sb, b);
                break;
            case HasAttrExpr h:
                Append(sb, h.Target, PrecAdd);
                sb.Append(" has ");
                AppendAttrName(sb, h.Attribute);
                break;
            case GetAttrExpr g:
                Append(sb, g.Target, PrecMember);
                if (CedarText.IsValidNameSegment(g.Attribute))
                {
                    sb.Append('.').Append(g.Attribute);
                }
                else
                {
                    sb.Append('[');
                    CedarText.AppendQuoted(sb, g.Attribute);
                    sb.Append(']');
                }

                break;
            case LikeExpr l:
                Append(sb, l.Target, PrecAdd);
                sb.Append(" like \"").Append(l.Pattern.ToPatternString()).Append('"');
                break;
            case IsExpr i:
                Append(sb, i.Target, PrecAdd);
                sb.Append(" is ").Append(i.EntityType.Name);
                if (i.In is not null)
                {
                    sb.Append(" in ");
                    Append(sb, i.In, PrecAdd);
                }

                break;
            case SetExpr s:
                sb.Append('[');
                for (var i = 0; i < s.Items.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }

                    Append(sb, s.Items[i], 0);
                }

                sb.Append(']');
                break;
            case RecordExpr r:
                sb.Append('{');
                for (var i = 0; i < r.Fields.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }

                    AppendAttrName(sb, r.Fields[i].Key);
                    sb.Append(": ");
                    Append(sb, r.Fields[i].Value, 0);
                }

                sb.Append('}');
                break;
            case ExtensionCallExpr x:
                AppendCall(sb, x);
                break;
            default:
                throw new ArgumentException("unknown expression node " + e.GetType().Name, nameof(e));
        }
    }

    private static void AppendAttrName(StringBuilder sb, string name)
    {
        if (CedarText.IsValidNameSegment(name))
        {
            sb.Append(name);
        }
        else
        {
            CedarText.AppendQuoted(sb, name);
        }
    }

    private static void AppendUnary(StringBuilder sb, UnaryExpr u)
    {
        switch (u.Op)
        {
            case UnaryOp.Not:
                sb.Append('!');
                Append(sb, u.Operand, PrecUnary);
                break;
            case UnaryOp.Neg:
                sb.Append('-');
                // A literal after '-' would fold into a negative literal when reparsed, so keep it apart.
                if (u.Operand is LiteralExpr { Value: LongValue })
                {
                    sb.Append('(');
                    AppendBare(sb, u.Operand);
                    sb.Append(')');
                }
                else
                {
                    Append(sb, u.Operand, PrecUnary);
                }

                break;
            default:
                Append(sb, u.Operand, PrecMember);
                sb.Append(".isEmpty()");
                break;
        }
    }

    private static void AppendBinary(StringBuilder sb, BinaryExpr b)
    {
        string? method = b.Op switch
        {
            BinaryOp.Contains => "contains",
            BinaryOp.ContainsAll => "containsAll",
            BinaryOp.ContainsAny => "containsAny",
            BinaryOp.GetTag => "getTag",
            BinaryOp.HasTag => "hasTag",
            _ => null,
        };
        if (method is not null)
        {
            Append(sb, b.Left, PrecMember);
            sb.Append('.').Append(method).Append('(');
            Append(sb, b.Right, 0);
            sb.Append(')');
            return;
        }

        var (op, prec) = b.Op switch
        {
            BinaryOp.Eq => ("==", PrecRel),
            BinaryOp.NotEq => ("!=", PrecRel),
            BinaryOp.Less => ("<", PrecRel),
            BinaryOp.LessEq => ("<=", PrecRel),
            BinaryOp.Greater => (">", PrecRel),
            BinaryOp.GreaterEq => (">=", PrecRel),
            BinaryOp.In => ("in", PrecRel),
            BinaryOp.Add => ("+", PrecAdd),
            BinaryOp.Sub => ("-", PrecAdd),
            _ => ("*", PrecMul),
        };
        if (prec == PrecRel)
        {
            Append(sb, b.Left, PrecAdd);
            sb.Append(' ').Append(op).Append(' ');
            Append(sb, b.Right, PrecAdd);
        }
        else
        {
            Append(sb, b.Left, prec);
            sb.Append(' ').Append(op).Append(' ');
            Append(sb, b.Right, prec == PrecAdd ? PrecMul : PrecUnary);
        }
    }

    private static void AppendCall(StringBuilder sb, ExtensionCallExpr x)
    {
        if (Constructors.Contains(x.FunctionName) || x.Arguments.Count == 0)
        {
            sb.Append(x.FunctionName).Append('(');
            AppendArgs(sb, x.Arguments, 0);
            sb.Append(')');
            return;
        }

        Append(sb, x.Arguments[0], PrecMember);
        sb.Append('.').Append(x.FunctionName).Append('(');
        AppendArgs(sb, x.Arguments, 1);
        sb.Append(')');
    }

    private static void AppendArgs(StringBuilder sb, IReadOnlyList<Expr> args, int from)
    {
        for (var i = from; i < args.Count; i++)
        {
            if (i > from)
            {
                sb.Append(", ");
            }

            Append(sb, args[i], 0);
        }
    }
}
