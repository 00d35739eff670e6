using Writ.Cedar.Authorization;

namespace Writ.Core.Policy;

/// <summary>The result of compiling policy files: the policy set when there were no errors, and every issue found.</summary>
/// <param name="Policies">The compiled set; null when <paramref name="Errors"/> is not empty.</param>
/// <param name="Errors">Parse and validation errors; the set is refused when there is any.</param>
/// <param name="Warnings">Validation warnings; they do not refuse the set.</param>
public sealed record PolicyCompilation(PolicySet? Policies, IReadOnlyList<PolicyIssue> Errors, IReadOnlyList<PolicyIssue> Warnings)
{
    /// <summary>True when the set parsed and validated.</summary>
    public bool Succeeded => Policies is not null && Errors.Count == 0;
}
