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
    private readonly Node[] _conditions;
    private readonly bool[] _isWhen;

    public CompiledPolicy(Policy policy, int order)
    {
        Policy = policy;
        Order = order;
        _principal = policy.Principal;
        _action = policy.Action;
        _resource = policy.Resource;
        _conditions = [.. policy.Conditions.Select(c => ExprCompiler.Compile(c.Body))];
        _isWhen = [.. policy.Conditions.Select(c => c.Kind == ConditionKind.When)];
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
        for (var i = 0; i < _conditions.Length; i++)
        {
            var v = _conditions[i].Eval(c);
            if (v is null)
            {
                return null;
            }

            if (v is not BoolValue b)
            {
                c.TypeError("bool", v);
                return null;
            }

            if (b.Value != _isWhen[i])
            {
                return false;
            }
        }

        return true;
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
