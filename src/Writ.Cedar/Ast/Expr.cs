namespace Writ.Cedar.Ast;

/// <summary>A Cedar expression node. Each node keeps the source span it was parsed from.</summary>
public abstract class Expr
{
    private protected Expr(SourceSpan span, int depth)
    {
        Span = span;
        NestingDepth = depth;
    }

    /// <summary>Where the expression came from (unknown for nodes built in code or from JSON).</summary>
    public SourceSpan Span { get; }

    /// <summary>The height of the expression tree: 1 for a leaf. Used to bound recursion on hostile input.</summary>
    public int NestingDepth { get; }

    private protected static int Deeper(Expr a) => a.NestingDepth + 1;

    private protected static int Deeper(Expr a, Expr b) => Math.Max(a.NestingDepth, b.NestingDepth) + 1;

    private protected static int Deeper(Expr a, Expr b, Expr c) => Math.Max(a.NestingDepth, Math.Max(b.NestingDepth, c.NestingDepth)) + 1;

    private protected static int Deeper(IEnumerable<Expr> items)
    {
        var max = 0;
        foreach (var e in items)
        {
            max = Math.Max(max, e.NestingDepth);
        }

        return max + 1;
    }

    /// <summary>The expression in canonical Cedar text.</summary>
    public override string ToString() => Formatting.PolicyFormatter.FormatExpr(this);
}
