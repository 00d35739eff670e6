using Writ.Cedar.Authorization;

namespace Writ.Core.Policy;

/// <summary>
/// The in-memory active policy set of this process. Activation replaces the whole snapshot with one reference
/// write, so a decision sees either the old version or the new one, never a mix.
/// </summary>
public sealed class ActivePolicySet : IActivePolicySet
{
    private PolicySnapshot _current = new(0, new PolicySet());

    /// <inheritdoc/>
    public PolicySnapshot Current => Volatile.Read(ref _current);

    /// <summary>Makes <paramref name="snapshot"/> the one decisions use.</summary>
    public void Activate(PolicySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Warm(snapshot.Policies);
        Volatile.Write(ref _current, snapshot);
    }

    /// <summary>Builds the set's scope index now, so the first decision after activation does not pay for it.</summary>
    public static void Warm(PolicySet policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var none = new Writ.Cedar.Values.EntityUid(new Writ.Cedar.Values.EntityType("Writ::Warmup"), "warmup");
        Authorizer.IsAuthorized(new Request(none, none, none), policies, EntityStore.Empty);
    }
}
