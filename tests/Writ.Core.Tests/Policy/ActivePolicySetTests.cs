using Writ.Cedar.Authorization;
using Writ.Core.Policy;

namespace Writ.Core.Tests.Policy;

public sealed class ActivePolicySetTests
{
    [Fact]
    public void Initially_EmptySetAtVersionZero()
    {
        var active = new ActivePolicySet();

        Assert.Equal(0, active.Current.Version);
        Assert.Empty(active.Current.Policies.Policies);
    }

    [Fact]
    public void Activate_SwapsTheWholeSnapshot()
    {
        var active = new ActivePolicySet();
        var before = active.Current;
        var set = PolicySet.Parse("permit (principal, action, resource);");

        active.Activate(new PolicySnapshot(3, set));

        Assert.Equal(3, active.Current.Version);
        Assert.Same(set, active.Current.Policies);
        Assert.Equal(0, before.Version);
    }
}
