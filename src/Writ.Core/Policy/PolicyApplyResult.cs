using Writ.Core.Admin;

namespace Writ.Core.Policy;

/// <summary>The outcome of applying or activating a policy set.</summary>
/// <param name="Version">The stored version; null when refused.</param>
/// <param name="Active">Whether the version is now the active one.</param>
/// <param name="Errors">Why the set was refused (parse and validation errors); empty on success.</param>
/// <param name="Warnings">Validation warnings.</param>
/// <param name="Error">A refusal that is not about the policies (forbidden, not found).</param>
public sealed record PolicyApplyResult(PolicySetVersion? Version, bool Active, IReadOnlyList<PolicyIssue> Errors, IReadOnlyList<PolicyIssue> Warnings, AdminError? Error)
{
    /// <summary>True when the set was stored (and activated when asked).</summary>
    public bool Succeeded => Version is not null && Errors.Count == 0 && Error is null;
}
