using System.Runtime.InteropServices;
using Writ.Cedar.Ast;
using Writ.Cedar.Evaluation;
using Writ.Cedar.Values;

namespace Writ.Cedar.Authorization;

/// <summary>
/// Compiled policies bucketed by their most selective scope constraint, so that a request only
/// evaluates policies that can apply to it. Each policy sits in exactly one bucket; policies without
/// an entity in their scope sit in the unscoped list that every request evaluates.
/// </summary>
internal sealed class PolicyIndex
{
    private readonly Dictionary<EntityUid, List<CompiledPolicy>> _principalEq;
    private readonly Dictionary<EntityUid, List<CompiledPolicy>> _resourceEq;
    private readonly Dictionary<EntityUid, List<CompiledPolicy>> _principalIn;
    private readonly Dictionary<EntityUid, List<CompiledPolicy>> _resourceIn;
    private readonly Dictionary<EntityUid, List<CompiledPolicy>> _action;
    private readonly CompiledPolicy[] _unscoped;

    public PolicyIndex(IReadOnlyList<Policy> policies)
    {
        var principalEq = new Dictionary<EntityUid, List<CompiledPolicy>>();
        var resourceEq = new Dictionary<EntityUid, List<CompiledPolicy>>();
        var principalIn = new Dictionary<EntityUid, List<CompiledPolicy>>();
        var resourceIn = new Dictionary<EntityUid, List<CompiledPolicy>>();
        var action = new Dictionary<EntityUid, List<CompiledPolicy>>();
        var unscoped = new List<CompiledPolicy>();
        for (var i = 0; i < policies.Count; i++)
        {
            var p = policies[i];
            var cp = new CompiledPolicy(p, i);
            if (p.Principal.Kind == ScopeKind.Eq)
            {
                AddTo(principalEq, p.Principal.Entity!, cp);
            }
            else if (p.Resource.Kind == ScopeKind.Eq)
            {
                AddTo(resourceEq, p.Resource.Entity!, cp);
            }
            else if (p.Principal.Kind is ScopeKind.In or ScopeKind.IsIn)
            {
                AddTo(principalIn, p.Principal.Entity!, cp);
            }
            else if (p.Resource.Kind is ScopeKind.In or ScopeKind.IsIn)
            {
                AddTo(resourceIn, p.Resource.Entity!, cp);
            }
            else if (p.Action.Kind is ActionScopeKind.Eq or ActionScopeKind.In or ActionScopeKind.InList && p.Action.Entities.Count > 0)
            {
                foreach (var a in p.Action.Entities.Distinct())
                {
                    AddTo(action, a, cp);
                }
            }
            else if (p.Action.Kind == ActionScopeKind.InList)
            {
                // `action in []` never matches.
                continue;
            }
            else
            {
                unscoped.Add(cp);
            }
        }

        // The lists are kept as built: copying them into arrays cost a set parsed per request more than it saved.
        _principalEq = principalEq;
        _resourceEq = resourceEq;
        _principalIn = principalIn;
        _resourceIn = resourceIn;
        _action = action;
        _unscoped = [.. unscoped];
        ActionListed = action.Values.Any(l => l.Any(cp => cp.Policy.Action.Entities.Count > 1));
    }

    /// <summary>Whether some policy sits under several action keys (so a request may meet it twice).</summary>
    private bool ActionListed { get; }

    /// <summary>Calls <paramref name="visit"/> for each policy whose scope can match the request (scope not yet checked).</summary>
    public void ForEachCandidate<TState>(EvalContext c, ref TState state, CandidateVisitor<TState> visit)
    {
        foreach (var cp in _unscoped)
        {
            visit(cp, c, ref state);
        }

        if (_principalEq.Count > 0 && _principalEq.TryGetValue(c.Principal, out var list))
        {
            VisitAll(list, c, ref state, visit);
        }

        if (_resourceEq.Count > 0 && _resourceEq.TryGetValue(c.Resource, out list))
        {
            VisitAll(list, c, ref state, visit);
        }

        if (_principalIn.Count > 0)
        {
            VisitHierarchy(_principalIn, c.Principal, c, ref state, visit);
        }

        if (_resourceIn.Count > 0)
        {
            VisitHierarchy(_resourceIn, c.Resource, c, ref state, visit);
        }

        if (_action.Count > 0)
        {
            if (!ActionListed)
            {
                VisitHierarchy(_action, c.Action, c, ref state, visit);
            }
            else
            {
                // A policy listing several actions may be reached through more than one of them; visit it once.
                var seen = new HashSet<CompiledPolicy>(ReferenceEqualityComparer.Instance);
                var wrapped = (Seen: seen, Inner: state);
                VisitHierarchy(_action, c.Action, c, ref wrapped, (CompiledPolicy cp, EvalContext ctx, ref (HashSet<CompiledPolicy> Seen, TState Inner) s) =>
                {
                    if (s.Seen.Add(cp))
                    {
                        visit(cp, ctx, ref s.Inner);
                    }
                });
                state = wrapped.Inner;
            }
        }
    }

    private static void VisitHierarchy<TState>(Dictionary<EntityUid, List<CompiledPolicy>> map, EntityUid uid, EvalContext c, ref TState state, CandidateVisitor<TState> visit)
    {
        if (map.TryGetValue(uid, out var list))
        {
            VisitAll(list, c, ref state, visit);
        }

        foreach (var ancestor in c.Entities.AncestorSet(uid))
        {
            if (!ancestor.Equals(uid) && map.TryGetValue(ancestor, out list))
            {
                VisitAll(list, c, ref state, visit);
            }
        }
    }

    private static void VisitAll<TState>(List<CompiledPolicy> list, EvalContext c, ref TState state, CandidateVisitor<TState> visit)
    {
        foreach (var cp in CollectionsMarshal.AsSpan(list))
        {
            visit(cp, c, ref state);
        }
    }

    private static void AddTo(Dictionary<EntityUid, List<CompiledPolicy>> map, EntityUid key, CompiledPolicy cp)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(cp);
    }
}

internal delegate void CandidateVisitor<TState>(CompiledPolicy policy, EvalContext context, ref TState state);
