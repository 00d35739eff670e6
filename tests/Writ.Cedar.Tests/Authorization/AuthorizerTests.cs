using Writ.Cedar.Ast;
using Writ.Cedar.Authorization;
using Writ.Cedar.Values;
using Writ.Cedar.Tests.Evaluation;

namespace Writ.Cedar.Tests.Decisions;

public sealed class AuthorizerTests
{
    private static Response Authorize(string policies, Request? request = null) =>
        Authorizer.IsAuthorized(request ?? EvalHelper.Request, PolicySet.Parse(policies), EvalHelper.Entities);

    [Fact]
    public void NoPolicies_DeniesByDefault()
    {
        var r = Authorize(string.Empty);
        Assert.Equal(Decision.Deny, r.Decision);
        Assert.Empty(r.Reasons);
        Assert.Empty(r.Errors);
    }

    [Fact]
    public void Permit_AllowsWithReason()
    {
        var r = Authorize("permit(principal in Group::\"all\", action in Action::\"read\", resource is Doc);");
        Assert.Equal(Decision.Allow, r.Decision);
        Assert.Equal(["policy0"], r.Reasons);
    }

    [Fact]
    public void Forbid_OverridesPermit()
    {
        var r = Authorize("permit(principal, action, resource); forbid(principal == User::\"alice\", action, resource); permit(principal, action, resource);");
        Assert.Equal(Decision.Deny, r.Decision);
        Assert.Equal(["policy1"], r.Reasons);
    }

    [Fact]
    public void ErroringPolicy_IsSkippedAndReported()
    {
        var r = Authorize("permit(principal, action, resource) when { principal.nope }; forbid(principal, action, resource) when { 1 + \"a\" == 2 }; permit(principal, action, resource) when { context.n == 5 };");
        Assert.Equal(Decision.Allow, r.Decision);
        Assert.Equal(["policy2"], r.Reasons);
        Assert.Equal(["policy0", "policy1"], r.Errors.Select(e => e.PolicyId).Order());
        Assert.All(r.Errors, e => Assert.False(string.IsNullOrEmpty(e.Error.Message)));
    }

    [Fact]
    public void NonBooleanCondition_IsAnError()
    {
        var r = Authorize("permit(principal, action, resource) when { 1 };");
        Assert.Equal(Decision.Deny, r.Decision);
        Assert.Single(r.Errors);
    }

    [Fact]
    public void Unless_InvertsTheCondition()
    {
        Assert.Equal(Decision.Allow, Authorize("permit(principal, action, resource) unless { context.n > 10 };").Decision);
        Assert.Equal(Decision.Deny, Authorize("permit(principal, action, resource) unless { context.n > 1 };").Decision);
    }

    [Fact]
    public void ScopeMismatch_SkipsPolicyWithoutEvaluatingIt()
    {
        var r = Authorize("permit(principal == User::\"bob\", action, resource) when { 1 + \"a\" };");
        Assert.Empty(r.Errors);
        Assert.Equal(Decision.Deny, r.Decision);
    }

    [Fact]
    public void EveryIndexedScopeForm_Matches()
    {
        var policies = """
            permit(principal == User::"alice", action, resource) when { context.n == 5 };
            permit(principal, action, resource == Doc::"d1");
            permit(principal in Group::"staff", action, resource);
            permit(principal, action, resource in Doc::"d1");
            permit(principal, action == Action::"view", resource);
            permit(principal, action in [Action::"read", Action::"view"], resource);
            permit(principal, action in [], resource);
            permit(principal is User, action, resource is Doc);
            permit(principal == User::"bob", action, resource);
            permit(principal in Group::"admins", action, resource);
            """;
        var r = Authorize(policies);
        Assert.Equal(["policy0", "policy1", "policy2", "policy3", "policy4", "policy5", "policy7"], r.Reasons);
    }

    [Fact]
    public void TemplateLinks_AreAuthorizedLikePolicies()
    {
        var set = PolicySet.Parse("permit(principal == ?principal, action, resource);");
        Assert.Empty(set.Policies);
        set.Link("policy0", "alice-link", new Dictionary<SlotId, EntityUid> { [SlotId.Principal] = new EntityUid("User", "alice") });
        set.Link("policy0", "bob-link", new Dictionary<SlotId, EntityUid> { [SlotId.Principal] = new EntityUid("User", "bob") });
        var r = Authorizer.IsAuthorized(EvalHelper.Request, set, EvalHelper.Entities);
        Assert.Equal(["alice-link"], r.Reasons);
    }

    [Fact]
    public void LinkWithMissingSlot_IsRejected()
    {
        var set = PolicySet.Parse("permit(principal == ?principal, action, resource in ?resource);");
        Assert.Throws<ArgumentException>(() => set.Link("policy0", "x", new Dictionary<SlotId, EntityUid> { [SlotId.Principal] = new EntityUid("User", "a") }));
    }

    [Fact]
    public void DuplicatePolicyId_IsRejected()
    {
        var set = new PolicySet();
        set.Add(Writ.Cedar.Parsing.PolicyParser.ParsePolicy("permit(principal, action, resource);", "p"));
        Assert.Throws<ArgumentException>(() => set.Add(Writ.Cedar.Parsing.PolicyParser.ParsePolicy("forbid(principal, action, resource);", "p")));
    }

    [Fact]
    public void UnknownPrincipal_InScopeIsFalseNotError()
    {
        var request = new Request(new EntityUid("User", "ghost"), new EntityUid("Action", "view"), new EntityUid("Doc", "d1"));
        var r = Authorize("permit(principal in Group::\"all\", action, resource); permit(principal, action, resource) when { principal has name };", request);
        Assert.Equal(Decision.Deny, r.Decision);
        Assert.Empty(r.Errors);
    }

    [Fact]
    public void HugeHierarchy_IsRejectedByTheLimit()
    {
        var chain = Enumerable.Range(0, 3000).Select(i => new Entity(new EntityUid("G", i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            parents: [new EntityUid("G", (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))]));
        var ex = Assert.Throws<EntityLimitException>(() => new EntityStore(chain, new EntityStoreLimits { MaxAncestorLinks = 100_000 }));
        Assert.Contains("ancestor links", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TooManyEntities_IsRejectedByTheLimit() =>
        Assert.Throws<EntityLimitException>(() => new EntityStore(
            Enumerable.Range(0, 11).Select(i => new Entity(new EntityUid("U", i.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
            new EntityStoreLimits { MaxEntities = 10 }));

    [Fact]
    public void ConcurrentAuthorization_MatchesSequentialResults()
    {
        var set = PolicySet.Parse("""
            permit(principal in Group::"staff", action, resource) when { context.tags.containsAny(["a", "z"]) && [1, 2, 3].contains(context.n - 3) };
            forbid(principal, action, resource) when { principal has age && principal.age > 40 };
            permit(principal, action == Action::"view", resource) when { ip("10.0.0.0/8").isInRange(context.ip) == false || principal.name like "A*" };
            """);
        var principals = new[] { "alice", "bob", "ghost" };
        var requests = principals.Select(p => new Request(new EntityUid("User", p), new EntityUid("Action", "view"), new EntityUid("Doc", "d"), EvalHelper.Request.Context)).ToArray();
        var expected = requests.Select(r => Authorizer.IsAuthorized(r, set, EvalHelper.Entities)).Select(r => (r.Decision, string.Join(",", r.Reasons))).ToArray();
        Parallel.For(0, 20_000, i =>
        {
            var r = Authorizer.IsAuthorized(requests[i % 3], set, EvalHelper.Entities);
            Assert.Equal(expected[i % 3], (r.Decision, string.Join(",", r.Reasons)));
        });
    }
}
