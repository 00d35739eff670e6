namespace Writ.Cedar.Evaluation;

/// <summary>The kinds of evaluation errors Cedar defines.</summary>
public enum EvaluationErrorKind
{
    /// <summary>An operand had the wrong type.</summary>
    TypeError,
    /// <summary>An entity's attributes or tags were read, but the entity is not in the store.</summary>
    EntityDoesNotExist,
    /// <summary>A record or entity has no such attribute.</summary>
    AttributeDoesNotExist,
    /// <summary>An entity has no such tag.</summary>
    TagDoesNotExist,
    /// <summary>Integer arithmetic overflowed 64 bits.</summary>
    Overflow,
    /// <summary>An extension function failed, e.g. a malformed literal.</summary>
    ExtensionError,
    /// <summary>An extension function was called with the wrong number of arguments.</summary>
    WrongArity,
    /// <summary>A template slot was evaluated without being linked.</summary>
    UnlinkedSlot,
    /// <summary>Evaluation exceeded a configured limit.</summary>
    LimitExceeded,
}

/// <summary>An error raised while evaluating an expression.</summary>
/// <param name="Kind">The error kind.</param>
/// <param name="Message">A human-readable description.</param>
public sealed record EvaluationError(EvaluationErrorKind Kind, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Message;
}
