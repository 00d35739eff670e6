namespace Writ.Cedar.Ast;

/// <summary>A Cedar expression node. Each node keeps the source span it was parsed from.</summary>
public abstract class Expr
{
    private protected Expr(SourceSpan span) => Span = span;

    /// <summary>Where the expression came from (unknown for nodes built in code or from JSON).</summary>
    public SourceSpan Span { get; }

    /// <summary>The expression in canonical Cedar text.</summary>
    public override string ToString() => Formatting.PolicyFormatter.FormatExpr(this);
}
