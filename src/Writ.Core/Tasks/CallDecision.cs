using Writ.Cedar.Authorization;

namespace Writ.Core.Tasks;

/// <summary>The decision on one call: allow or deny, why, the determining policies and the policies that failed to evaluate.</summary>
/// <param name="Allowed">True when the call may go ahead.</param>
/// <param name="Reason">
/// A stable reason id: <c>policy.permit</c>, <c>policy.forbid</c>, <c>policy.no_permit</c> (Cedar's default deny),
/// or a built-in rule such as <c>intent.undeclared_tool</c>, <c>intent.undeclared_target</c>,
/// <c>intent.sensitivity_exceeded</c>, <c>task.expired</c>, <c>task.completed</c>, <c>agent.suspended</c>.
/// </param>
/// <param name="Policies">The determining policy ids (empty for built-in rules and default deny).</param>
/// <param name="Errors">Policies that failed to evaluate and were skipped.</param>
public sealed record CallDecision(bool Allowed, string Reason, IReadOnlyList<string> Policies, IReadOnlyList<PolicyError> Errors)
{
    internal static CallDecision Deny(string reason) => new(false, reason, [], []);
}
