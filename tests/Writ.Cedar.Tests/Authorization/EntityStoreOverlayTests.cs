using Writ.Cedar.Authorization;
using Writ.Cedar.Values;

namespace Writ.Cedar.Tests.Decisions;

public sealed class EntityStoreOverlayTests
{
    private static readonly EntityUid Org = new("Group", "org");
    private static readonly EntityUid Team = new("Group", "team");
    private static readonly EntityUid Alice = new("User", "alice");
    private static readonly EntityUid Read = new("Action", "read");
    private static readonly EntityUid AnyAction = new("Action", "any");

    private static EntityStore Base() => new([new Entity(Org), new Entity(Team, null, [Org]), new Entity(AnyAction), new Entity(Read, null, [AnyAction])]);

    [Fact]
    public void Overlay_SeesBaseEntities_AndResolvesAncestorsThroughThem()
    {
        var store = Base().Overlay([new Entity(Alice, new RecordValue([new("name", new StringValue("Alice"))]), [Team])]);

        Assert.Equal(5, store.Count);
        Assert.True(store.Contains(Org));
        Assert.True(store.TryGet(Alice, out var alice) && alice.Attributes.ContainsKey("name"));
        Assert.True(store.IsIn(Alice, Org));
        Assert.True(store.IsIn(Read, AnyAction));
        Assert.Equal(new HashSet<EntityUid> { Team, Org }, store.AncestorsOf(Alice));
        Assert.Equal(5, store.Entities.Count());
    }

    [Fact]
    public void Overlay_LeavesTheBaseUnchanged()
    {
        var shared = Base();

        _ = shared.Overlay([new Entity(Alice, null, [Team])]);

        Assert.Equal(4, shared.Count);
        Assert.False(shared.Contains(Alice));
    }

    [Fact]
    public void Overlay_RepeatingABaseEntity_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => Base().Overlay([new Entity(Team)]));
    }

    [Fact]
    public void Overlay_AddingAParentTheBaseNamesButDoesNotHold_IsRejected()
    {
        var shared = new EntityStore([new Entity(Team, null, [Org])]);

        // Holding Org over the base would make Team's ancestors depend on the layer.
        Assert.Throws<ArgumentException>(() => shared.Overlay([new Entity(Org)]));
    }

    [Fact]
    public void Overlay_WithACycleOfItsOwn_IsRejected()
    {
        var bob = new EntityUid("User", "bob");

        Assert.Throws<ArgumentException>(() => Base().Overlay([new Entity(Alice, null, [bob]), new Entity(bob, null, [Alice])]));
    }

    [Fact]
    public void Overlay_DecidesLikeTheFlatStore()
    {
        var policies = PolicySet.Parse("permit(principal in Group::\"org\", action in Action::\"any\", resource) when { principal.name == \"Alice\" };");
        var alice = new Entity(Alice, new RecordValue([new("name", new StringValue("Alice"))]), [Team]);
        var request = new Request(Alice, Read, new EntityUid("Doc", "d"), RecordValue.Empty);

        var layered = Authorizer.IsAuthorized(request, policies, Base().Overlay([alice]));
        var flat = Authorizer.IsAuthorized(request, policies, new EntityStore([.. Base().Entities, alice]));

        Assert.Equal(Decision.Allow, layered.Decision);
        Assert.Equal(flat.Decision, layered.Decision);
        Assert.Equal(flat.Reasons, layered.Reasons);
    }

    [Fact]
    public void OverlayOfAnOverlay_SeesEveryLayer()
    {
        var bob = new EntityUid("User", "bob");
        var store = Base().Overlay([new Entity(Alice, null, [Team])]).Overlay([new Entity(bob, null, [Alice])]);

        Assert.True(store.IsIn(bob, Org));
        Assert.Equal(6, store.Count);
    }

    [Fact]
    public void Overlay_BeyondItsLimits_IsRejected()
    {
        var limits = new EntityStoreLimits { MaxEntities = 1 };

        Assert.Throws<EntityLimitException>(() => Base().Overlay([new Entity(Alice), new Entity(new EntityUid("User", "bob"))], limits));
    }
}
