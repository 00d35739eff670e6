using Writ.Cedar.Evaluation;

namespace Writ.Cedar.Authorization;

/// <summary>allow or deny.</summary>
public enum Decision
{
    /// <summary>Some permit applied and no forbid did.</summary>
    Allow,
    /// <summary>Default deny, or a forbid applied.</summary>
    Deny,
}

/// <summary>A policy that failed to evaluate and was skipped.</summary>
/// <param name="PolicyId">The policy id.</param>
/// <param name="Error">What went wrong.</param>
public sealed record PolicyError(string PolicyId, EvaluationError Error);

/// <summary>The result of an authorization: the decision, the determining policies and the erroring policies.</summary>
public sealed class Response
{
    /// <summary>Creates a response.</summary>
    public Response(Decision decision, IReadOnlyList<string> reasons, IReadOnlyList<PolicyError> errors)
    {
        Decision = decision;
        Reasons = reasons;
        Errors = errors;
    }

    /// <summary>allow or deny.</summary>
    public Decision Decision { get; }

    /// <summary>The determining policies: the satisfied forbids when denied by a forbid, the satisfied permits when allowed, else none.</summary>
    public IReadOnlyList<string> Reasons { get; }

    /// <summary>Policies whose evaluation failed (they were skipped).</summary>
    public IReadOnlyList<PolicyError> Errors { get; }

    /// <summary>Whether the request is allowed.</summary>
    public bool IsAllowed => Decision == Decision.Allow;
}
