using Writ.Cedar.Authorization;

namespace Writ.Core.Policy.AuthZen;

/// <summary>The answer to one evaluation: allow or deny, the determining policies, the erroring ones, or why the request could not be decided.</summary>
/// <param name="Allowed">The decision.</param>
/// <param name="Policies">The determining policies (the satisfied permits when allowed, the satisfied forbids when denied by one).</param>
/// <param name="Errors">Policies that failed to evaluate and were skipped.</param>
/// <param name="Problem">Why the evaluation could not be made (the request does not fit the schema); the decision is then deny.</param>
public sealed record AuthZenDecision(bool Allowed, IReadOnlyList<string> Policies, IReadOnlyList<PolicyError> Errors, string? Problem)
{
    /// <summary>The HTTP status that best names the <see cref="Problem"/> (reported inside the decision's context, never as the response status).</summary>
    public int ProblemStatus { get; init; } = 400;

    /// <summary>A deny because the evaluation could not be made.</summary>
    public static AuthZenDecision Failed(string problem) => new(false, [], [], problem);

    /// <summary>The decision of a Cedar response.</summary>
    public static AuthZenDecision From(Response response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new AuthZenDecision(response.IsAllowed, response.Reasons, response.Errors, null);
    }
}
