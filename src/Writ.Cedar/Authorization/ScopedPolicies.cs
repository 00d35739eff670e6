using Writ.Cedar.Values;

namespace Writ.Cedar.Authorization;

/// <summary>
/// The policies of one <see cref="PolicySet"/> whose scopes match one principal, action and resource in one
/// <see cref="EntityStore"/>, selected once with <see cref="Authorizer.Scope"/>. A scope reads only those three
/// entities and their ancestors, which an immutable store fixes, so requests that share all of them and differ
/// only in their context (or in attribute and tag values the store computes per request) can skip the scope
/// index and evaluate just these policies' conditions with <see cref="Authorizer.IsAuthorized(Request, ScopedPolicies)"/>.
/// </summary>
public sealed class ScopedPolicies
{
    internal ScopedPolicies(PolicySet policies, EntityStore entities, EntityUid principal, EntityUid action, EntityUid resource, CompiledPolicy[] matching)
    {
        Policies = policies;
        Entities = entities;
        Principal = principal;
        Action = action;
        Resource = resource;
        Matching = matching;
    }

    /// <summary>The policy set the policies were selected from.</summary>
    public PolicySet Policies { get; }

    /// <summary>The entity store whose hierarchy the scopes were matched against.</summary>
    public EntityStore Entities { get; }

    /// <summary>The principal the scopes were matched for.</summary>
    public EntityUid Principal { get; }

    /// <summary>The action the scopes were matched for.</summary>
    public EntityUid Action { get; }

    /// <summary>The resource the scopes were matched for.</summary>
    public EntityUid Resource { get; }

    /// <summary>How many policies' scopes match.</summary>
    public int Count => Matching.Length;

    /// <summary>The matching policies, in the order the scope index visits them (so errors come out in the same order).</summary>
    internal CompiledPolicy[] Matching { get; }

    /// <summary>Whether this selection holds for <paramref name="policies"/> and <paramref name="entities"/> (the same instances).</summary>
    public bool IsFor(PolicySet policies, EntityStore entities) =>
        ReferenceEquals(Policies, policies) && ReferenceEquals(Entities, entities);
}
