namespace Writ.Cedar.Validation;

/// <summary>Limits that keep validation bounded on hostile schemas.</summary>
public sealed class ValidationOptions
{
    /// <summary>The defaults.</summary>
    public static ValidationOptions Default { get; } = new();

    /// <summary>
    /// The most request environments (principal type, action, resource type, slot types) one policy is typechecked
    /// under; beyond it the policy fails validation with <see cref="ValidationIssueKind.TooManyRequestEnvironments"/>.
    /// </summary>
    public long MaxRequestEnvironments { get; init; } = 100_000;
}
