using Writ.Cedar.Authorization;
using Writ.Cedar.Tests.Evaluation;
using Writ.Cedar.Values;

namespace Writ.Cedar.Tests.Decisions;

public sealed class ScopedPoliciesTests
{
    private static readonly PolicySet Set = PolicySet.Parse("""
        @id("staff-view")
        permit(principal in Group::"all", action == Action::"view", resource is Doc) when { context.n > 1 };
        @id("alice-any")
        permit(principal == User::"alice", action, resource);
        @id("no-ghosts")
        forbid(principal, action, resource) when { principal has age && principal.age > 40 };
        @id("erroring")
        permit(principal, action in [Action::"view", Action::"edit"], resource) when { context.missing == 1 };
        @id("other-doc")
        permit(principal, action, resource == Doc::"other");
        """);

    public static TheoryData<string, string, string, long> Requests => new()
    {
        { "alice", "view", "d", 2 },
        { "alice", "view", "d", 0 },
        { "bob", "view", "d", 5 },
        { "bob", "edit", "d", 5 },
        { "ghost", "view", "other", 1 },
        { "nobody", "view", "d", 3 },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void ScopedAuthorization_AnswersLikeTheFullSet(string principal, string action, string resource, long n)
    {
        var request = new Request(new EntityUid("User", principal), new EntityUid("Action", action), new EntityUid("Doc", resource),
            new RecordValue([new("n", LongValue.Of(n))]));
        var scoped = Authorizer.Scope(Set, EvalHelper.Entities, request.Principal, request.Action, request.Resource);

        var full = Authorizer.IsAuthorized(request, Set, EvalHelper.Entities);
        var selected = Authorizer.IsAuthorized(request, scoped);

        Assert.Equal(full.Decision, selected.Decision);
        Assert.Equal(full.Reasons, selected.Reasons);
        Assert.Equal(full.Errors, selected.Errors);
        Assert.True(scoped.IsFor(Set, EvalHelper.Entities));
    }

    [Fact]
    public void Scope_KeepsOnlyPoliciesWhoseScopeMatches()
    {
        var bobViewsOther = Authorizer.Scope(Set, EvalHelper.Entities, new EntityUid("User", "bob"), new EntityUid("Action", "view"), new EntityUid("Doc", "other"));

        // bob is in Group::"all" through admins and staff; only alice-any names another principal.
        Assert.Equal(4, bobViewsOther.Count);
    }

    [Fact]
    public void RequestForAnotherPrincipal_IsRefused()
    {
        var scoped = Authorizer.Scope(Set, EvalHelper.Entities, new EntityUid("User", "alice"), new EntityUid("Action", "view"), new EntityUid("Doc", "d"));
        var request = new Request(new EntityUid("User", "bob"), new EntityUid("Action", "view"), new EntityUid("Doc", "d"));

        Assert.Throws<ArgumentException>(() => Authorizer.IsAuthorized(request, scoped));
    }

    [Fact]
    public void OtherSetOrStore_IsNotTheSelectionsOwn()
    {
        var scoped = Authorizer.Scope(Set, EvalHelper.Entities, new EntityUid("User", "alice"), new EntityUid("Action", "view"), new EntityUid("Doc", "d"));

        Assert.False(scoped.IsFor(PolicySet.Parse("permit(principal, action, resource);"), EvalHelper.Entities));
        Assert.False(scoped.IsFor(Set, EntityStore.Empty));
    }
}
