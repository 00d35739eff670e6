using System.Runtime.CompilerServices;
using Writ.Cedar.Evaluation;
using Writ.Cedar.Values;

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
        return Finish(ref state);
    }

    /// <summary>
    /// Selects the policies of <paramref name="policies"/> whose scopes match <paramref name="principal"/>,
    /// <paramref name="action"/> and <paramref name="resource"/> in <paramref name="entities"/>, for
    /// <see cref="IsAuthorized(Request, ScopedPolicies)"/> to evaluate for any request on those three.
    /// </summary>
    public static ScopedPolicies Scope(PolicySet policies, EntityStore entities, EntityUid principal, EntityUid action, EntityUid resource)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(entities);
        var ctx = new EvalContext(new Request(principal, action, resource), entities);
        var matching = new List<CompiledPolicy>();
        policies.Index.ForEachCandidate(ctx, ref matching, static (CompiledPolicy cp, EvalContext c, ref List<CompiledPolicy> m) =>
        {
            if (cp.ScopeMatches(c))
            {
                m.Add(cp);
            }
        });
        return new ScopedPolicies(policies, entities, principal, action, resource, [.. matching]);
    }

    /// <summary>
    /// Authorizes <paramref name="request"/> against the policies <paramref name="scoped"/> selected, in its entity
    /// store: the same response as <see cref="IsAuthorized(Request, PolicySet, EntityStore)"/> with that set and
    /// store. Throws <see cref="ArgumentException"/> when the request's principal, action or resource is not the
    /// one the policies were selected for.
    /// </summary>
    public static Response IsAuthorized(Request request, ScopedPolicies scoped)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(scoped);
        if (!request.Principal.Equals(scoped.Principal) || !request.Action.Equals(scoped.Action) || !request.Resource.Equals(scoped.Resource))
        {
            throw new ArgumentException("the request's principal, action or resource is not the one the policies were scoped for", nameof(request));
        }

        var ctx = new EvalContext(request, scoped.Entities);
        var state = new State();
        foreach (var cp in scoped.Matching)
        {
            Evaluate(cp, ctx, ref state);
        }

        return Finish(ref state);
    }

    private static Response Finish(ref State state)
    {
        if (state.Forbids is null && state.Permits is not null)
        {
            return new Response(Decision.Allow, SortById(state.Permits), (IReadOnlyList<PolicyError>?)state.Errors ?? []);
        }

        return new Response(Decision.Deny, state.Forbids is null ? [] : SortById(state.Forbids), (IReadOnlyList<PolicyError>?)state.Errors ?? []);
    }

    private static void Visit(CompiledPolicy cp, EvalContext ctx, ref State state)
    {
        if (cp.ScopeMatches(ctx))
        {
            Evaluate(cp, ctx, ref state);
        }
    }

    /// <summary>Evaluates the conditions of a policy whose scope matched, and files it as satisfied or erroring.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Evaluate(CompiledPolicy cp, EvalContext ctx, ref State state)
    {
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
