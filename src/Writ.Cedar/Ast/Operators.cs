namespace Writ.Cedar.Ast;

/// <summary>The request variables.</summary>
public enum Var
{
    /// <summary><c>principal</c></summary>
    Principal,
    /// <summary><c>action</c></summary>
    Action,
    /// <summary><c>resource</c></summary>
    Resource,
    /// <summary><c>context</c></summary>
    Context,
}

/// <summary>Template slots.</summary>
public enum SlotId
{
    /// <summary><c>?principal</c></summary>
    Principal,
    /// <summary><c>?resource</c></summary>
    Resource,
}

/// <summary>Operators with one operand.</summary>
public enum UnaryOp
{
    /// <summary><c>!e</c></summary>
    Not,
    /// <summary><c>-e</c></summary>
    Neg,
    /// <summary><c>e.isEmpty()</c></summary>
    IsEmpty,
}

/// <summary>Operators with two operands (infix operators and the built-in methods).</summary>
public enum BinaryOp
{
    /// <summary><c>==</c></summary>
    Eq,
    /// <summary><c>!=</c></summary>
    NotEq,
    /// <summary><c>&lt;</c></summary>
    Less,
    /// <summary><c>&lt;=</c></summary>
    LessEq,
    /// <summary><c>&gt;</c></summary>
    Greater,
    /// <summary><c>&gt;=</c></summary>
    GreaterEq,
    /// <summary><c>+</c></summary>
    Add,
    /// <summary><c>-</c></summary>
    Sub,
    /// <summary><c>*</c></summary>
    Mul,
    /// <summary><c>in</c></summary>
    In,
    /// <summary><c>.contains(e)</c></summary>
    Contains,
    /// <summary><c>.containsAll(e)</c></summary>
    ContainsAll,
    /// <summary><c>.containsAny(e)</c></summary>
    ContainsAny,
    /// <summary><c>.getTag(e)</c></summary>
    GetTag,
    /// <summary><c>.hasTag(e)</c></summary>
    HasTag,
}
