using Writ.Cedar.Evaluation;

namespace Writ.Cedar.Authorization;

/// <summary>
/// Cedar's authorizer: default deny, forbid overrides permit, and policies that fail to evaluate are
/// skipped and reported. Only policies whose scope can match the request are evaluated.
/// </summary>
public static class Authorizer
{
    /// <summary>Authorizes <paramref name="request"/> against <paramref name="policies"/> and <paramref name="entities"/>.</summary>
    public static Response IsAuthorized(Request request, PolicySet policies, EntityStore entities)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(entities);
        var ctx = new EvalContext(request, entities);
        var state = new State();
        policies.Index.ForEachCandidate(ctx, ref state, Visit);
        if (state.Forbids is null && state.Permits is not null)
        {
            return new Response(Decision.Allow, SortById(state.Permits), (IReadOnlyList<PolicyError>?)state.Errors ?? []);
        }

        return new Response(Decision.Deny, state.Forbids is null ? [] : SortById(state.Forbids), (IReadOnlyList<PolicyError>?)state.Errors ?? []);
    }

    private static void Visit(CompiledPolicy cp, EvalContext ctx, ref State state)
    {
        if (!cp.ScopeMatches(ctx))
        {
            return;
        }

        ctx.Error = null;
        var result = cp.Conditions(ctx);
        if (result is null)
        {
            (state.Errors ??= []).Add(new PolicyError(cp.Id, ctx.Error ?? new EvaluationError(EvaluationErrorKind.TypeError, "evaluation failed")));
            ctx.Error = null;
            return;
        }

        if (result.Value)
        {
            if (cp.IsForbid)
            {
                (state.Forbids ??= []).Add(cp);
            }
            else
            {
                (state.Permits ??= []).Add(cp);
            }
        }
    }

    private static string[] SortById(List<CompiledPolicy> list)
    {
        if (list.Count > 1)
        {
            list.Sort(static (a, b) => a.Order.CompareTo(b.Order));
        }

        var ids = new string[list.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = list[i].Id;
        }

        return ids;
    }

    private struct State
    {
        public List<CompiledPolicy>? Permits;
        public List<CompiledPolicy>? Forbids;
        public List<PolicyError>? Errors;
    }
}
