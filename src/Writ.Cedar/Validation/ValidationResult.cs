using Writ.Cedar.Ast;

namespace Writ.Cedar.Validation;

/// <summary>What a validation diagnostic is about. Error kinds mirror Cedar's validation errors.</summary>
public enum ValidationIssueKind
{
    /// <summary>An entity type that the schema does not declare.</summary>
    UnrecognizedEntityType,
    /// <summary>An action that the schema does not declare.</summary>
    UnrecognizedActionId,
    /// <summary>An entity of an enumerated type whose id is not one of the declared choices.</summary>
    InvalidEnumEntity,
    /// <summary>An operand of the wrong type.</summary>
    UnexpectedType,
    /// <summary>Types that strict validation does not allow together (in a set, an equality, a conditional...).</summary>
    IncompatibleTypes,
    /// <summary>An attribute that the type does not have.</summary>
    UnsafeAttributeAccess,
    /// <summary>An optional attribute read without a <c>has</c> guard.</summary>
    UnsafeOptionalAttributeAccess,
    /// <summary>A tag read without a <c>hasTag</c> guard.</summary>
    UnsafeTagAccess,
    /// <summary>A tag read on an entity type that has no tags.</summary>
    NoTagsAllowed,
    /// <summary>An unknown extension function.</summary>
    UndefinedFunction,
    /// <summary>An extension function called with the wrong number of arguments.</summary>
    WrongNumberArguments,
    /// <summary>An extension constructor called with a literal it cannot parse.</summary>
    FunctionArgumentValidation,
    /// <summary>An extension constructor called with a non-literal argument (strict validation).</summary>
    NonLiteralExtensionConstructor,
    /// <summary>The empty set literal <c>[]</c> (strict validation).</summary>
    EmptySetForbidden,
    /// <summary>An expression nested too deeply to check.</summary>
    NestingTooDeep,
    /// <summary>The schema allows more request environments than <see cref="ValidationOptions.MaxRequestEnvironments"/>.</summary>
    TooManyRequestEnvironments,
    /// <summary>Warning: no request the schema allows can satisfy the policy's scope.</summary>
    InvalidActionApplication,
    /// <summary>Warning: the policy evaluates to false for every request the schema allows.</summary>
    ImpossiblePolicy,
}

/// <summary>One validation error or warning on a policy.</summary>
/// <param name="PolicyId">The policy (or template) id.</param>
/// <param name="Kind">What the diagnostic is about.</param>
/// <param name="Message">A description for people.</param>
/// <param name="Span">Where in the policy text, when known.</param>
public sealed record ValidationIssue(string PolicyId, ValidationIssueKind Kind, string Message, SourceSpan Span)
{
    /// <inheritdoc />
    public override string ToString() => Span.IsKnown ? $"{PolicyId} ({Span}): {Message}" : $"{PolicyId}: {Message}";
}

/// <summary>The outcome of validating policies against a schema: errors fail validation, warnings do not.</summary>
public sealed class ValidationResult
{
    internal ValidationResult(IReadOnlyList<ValidationIssue> errors, IReadOnlyList<ValidationIssue> warnings)
    {
        Errors = errors;
        Warnings = warnings;
    }

    /// <summary>The errors; validation passed when there are none.</summary>
    public IReadOnlyList<ValidationIssue> Errors { get; }

    /// <summary>The warnings.</summary>
    public IReadOnlyList<ValidationIssue> Warnings { get; }

    /// <summary>Whether validation passed (there are no errors).</summary>
    public bool Passed => Errors.Count == 0;
}
