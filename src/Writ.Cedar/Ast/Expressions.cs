using Writ.Cedar.Values;

namespace Writ.Cedar.Ast;

/// <summary>A literal: a boolean, integer, string or entity reference.</summary>
public sealed class LiteralExpr(Value value, SourceSpan span = default) : Expr(span, 1)
{
    /// <summary>The literal value.</summary>
    public Value Value { get; } = value;
}

/// <summary>A request variable: <c>principal</c>, <c>action</c>, <c>resource</c> or <c>context</c>.</summary>
public sealed class VarExpr(Var var, SourceSpan span = default) : Expr(span, 1)
{
    /// <summary>The variable.</summary>
    public Var Var { get; } = var;
}

/// <summary>A template slot, <c>?principal</c> or <c>?resource</c>.</summary>
public sealed class SlotExpr(SlotId slot, SourceSpan span = default) : Expr(span, 1)
{
    /// <summary>The slot.</summary>
    public SlotId Slot { get; } = slot;
}

/// <summary><c>if c then a else b</c>.</summary>
public sealed class IfExpr(Expr condition, Expr then, Expr @else, SourceSpan span = default) : Expr(span, Deeper(condition, then, @else))
{
    /// <summary>The condition.</summary>
    public Expr Condition { get; } = condition;

    /// <summary>The branch taken when the condition is true.</summary>
    public Expr Then { get; } = then;

    /// <summary>The branch taken when the condition is false.</summary>
    public Expr Else { get; } = @else;
}

/// <summary><c>a &amp;&amp; b</c> (short-circuit).</summary>
public sealed class AndExpr(Expr left, Expr right, SourceSpan span = default) : Expr(span, Deeper(left, right))
{
    /// <summary>The left operand.</summary>
    public Expr Left { get; } = left;

    /// <summary>The right operand, evaluated only when the left one is true.</summary>
    public Expr Right { get; } = right;
}

/// <summary><c>a || b</c> (short-circuit).</summary>
public sealed class OrExpr(Expr left, Expr right, SourceSpan span = default) : Expr(span, Deeper(left, right))
{
    /// <summary>The left operand.</summary>
    public Expr Left { get; } = left;

    /// <summary>The right operand, evaluated only when the left one is false.</summary>
    public Expr Right { get; } = right;
}

/// <summary>A one-operand operation: <c>!e</c>, <c>-e</c>, <c>e.isEmpty()</c>.</summary>
public sealed class UnaryExpr(UnaryOp op, Expr operand, SourceSpan span = default) : Expr(span, Deeper(operand))
{
    /// <summary>The operator.</summary>
    public UnaryOp Op { get; } = op;

    /// <summary>The operand.</summary>
    public Expr Operand { get; } = operand;
}

/// <summary>A two-operand operation: comparisons, arithmetic, <c>in</c> and the set and tag methods.</summary>
public sealed class BinaryExpr(BinaryOp op, Expr left, Expr right, SourceSpan span = default) : Expr(span, Deeper(left, right))
{
    /// <summary>The operator.</summary>
    public BinaryOp Op { get; } = op;

    /// <summary>The left operand (the receiver for methods).</summary>
    public Expr Left { get; } = left;

    /// <summary>The right operand (the argument for methods).</summary>
    public Expr Right { get; } = right;
}

/// <summary><c>e has attr</c> (one attribute; <c>e has a.b</c> is parsed into a conjunction of these).</summary>
public sealed class HasAttrExpr(Expr target, string attribute, SourceSpan span = default) : Expr(span, Deeper(target))
{
    /// <summary>The record or entity.</summary>
    public Expr Target { get; } = target;

    /// <summary>The attribute name.</summary>
    public string Attribute { get; } = attribute;
}

/// <summary><c>e.attr</c> or <c>e["attr"]</c>.</summary>
public sealed class GetAttrExpr(Expr target, string attribute, SourceSpan span = default) : Expr(span, Deeper(target))
{
    /// <summary>The record or entity.</summary>
    public Expr Target { get; } = target;

    /// <summary>The attribute name.</summary>
    public string Attribute { get; } = attribute;
}

/// <summary><c>e like "pattern"</c>.</summary>
public sealed class LikeExpr(Expr target, LikePattern pattern, SourceSpan span = default) : Expr(span, Deeper(target))
{
    /// <summary>The string to match.</summary>
    public Expr Target { get; } = target;

    /// <summary>The pattern.</summary>
    public LikePattern Pattern { get; } = pattern;
}

/// <summary><c>e is Type</c> or <c>e is Type in e2</c>.</summary>
public sealed class IsExpr(Expr target, EntityType entityType, Expr? @in = null, SourceSpan span = default) : Expr(span, @in is null ? Deeper(target) : Deeper(target, @in))
{
    /// <summary>The entity tested.</summary>
    public Expr Target { get; } = target;

    /// <summary>The entity type.</summary>
    public EntityType EntityType { get; } = entityType;

    /// <summary>The <c>in</c> operand, if any; <c>e is T in x</c> means <c>e is T &amp;&amp; e in x</c>.</summary>
    public Expr? In { get; } = @in;
}

/// <summary>A set literal <c>[a, b]</c>.</summary>
public sealed class SetExpr(IReadOnlyList<Expr> items, SourceSpan span = default) : Expr(span, Deeper(items))
{
    /// <summary>The element expressions.</summary>
    public IReadOnlyList<Expr> Items { get; } = items;
}

/// <summary>A record literal <c>{a: 1, "b": 2}</c>; field names are distinct.</summary>
public sealed class RecordExpr(IReadOnlyList<KeyValuePair<string, Expr>> fields, SourceSpan span = default) : Expr(span, Deeper(fields.Select(f => f.Value)))
{
    /// <summary>The fields in source order.</summary>
    public IReadOnlyList<KeyValuePair<string, Expr>> Fields { get; } = fields;
}

/// <summary>
/// A call of an extension function, written as a function (<c>ip("1.2.3.4")</c>) or as a method
/// (<c>a.lessThan(b)</c>, where the receiver is the first argument).
/// </summary>
public sealed class ExtensionCallExpr(string functionName, IReadOnlyList<Expr> arguments, SourceSpan span = default) : Expr(span, Deeper(arguments))
{
    /// <summary>The function name, e.g. <c>ip</c> or <c>lessThan</c>.</summary>
    public string FunctionName { get; } = functionName;

    /// <summary>The arguments; for a method call the receiver comes first.</summary>
    public IReadOnlyList<Expr> Arguments { get; } = arguments;
}
