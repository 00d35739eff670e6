using Writ.Cedar.Ast;
using Writ.Cedar.Evaluation;
using Writ.Cedar.Values;

namespace Writ.Cedar.Authorization;

/// <summary>A static or linked policy ready for evaluation: a scope test and compiled conditions.</summary>
internal sealed class CompiledPolicy
{
    private readonly ScopeConstraint _principal;
    private readonly ActionConstraint _action;
    private readonly ScopeConstraint _resource;
    // Compiled on first evaluation: a large set parsed per request only pays for the policies its scopes select.
    private CompiledCondition[]? _conditions;

    public CompiledPolicy(Policy policy, int order)
    {
        Policy = policy;
        Order = order;
        _principal = policy.Principal;
        _action = policy.Action;
        _resource = policy.Resource;
    }

    public Policy Policy { get; }

    public int Order { get; }

    public string Id => Policy.Id;

    public bool IsForbid => Policy.Effect == Effect.Forbid;

    public bool ScopeMatches(EvalContext c) =>
        Matches(_principal, c.Principal, c.Entities) && MatchesAction(c.Action, c.Entities) && Matches(_resource, c.Resource, c.Entities);

    /// <summary>Evaluates the conditions: true when satisfied, false when not, null on error (in <see cref="EvalContext.Error"/>).</summary>
    public bool? Conditions(EvalContext c)
    {
        var conditions = _conditions ?? Compile();
        for (var i = 0; i < conditions.Length; i++)
        {
            var v = conditions[i].Body.Eval(c);
            if (v is null)
            {
                return null;
            }

            if (v is not BoolValue b)
            {
                c.TypeError("bool", v);
                return null;
            }

            if (b.Value != conditions[i].IsWhen)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Compiles the conditions; racing threads compile equal node trees and either may win.</summary>
    private CompiledCondition[] Compile()
    {
        var compiled = new CompiledCondition[Policy.Conditions.Count];
        for (var i = 0; i < compiled.Length; i++)
        {
            var condition = Policy.Conditions[i];
            compiled[i] = new CompiledCondition(ExprCompiler.Compile(condition.Body), condition.Kind == ConditionKind.When);
        }

        _conditions = compiled;
        return compiled;
    }

    private static bool Matches(ScopeConstraint s, EntityUid uid, EntityStore store) => s.Kind switch
    {
        ScopeKind.Any => true,
        ScopeKind.Eq => uid.Equals(s.Entity),
        ScopeKind.In => store.IsIn(uid, s.Entity!),
        ScopeKind.Is => uid.Type.Equals(s.EntityType),
        _ => uid.Type.Equals(s.EntityType) && store.IsIn(uid, s.Entity!),
    };

    private bool MatchesAction(EntityUid action, EntityStore store)
    {
        switch (_action.Kind)
        {
            case ActionScopeKind.Any:
                return true;
            case ActionScopeKind.Eq:
                return action.Equals(_action.Entities[0]);
            default:
                foreach (var e in _action.Entities)
                {
                    if (store.IsIn(action, e))
                    {
                        return true;
                    }
                }

                return false;
        }
    }
}
