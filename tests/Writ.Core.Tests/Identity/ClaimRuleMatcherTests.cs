using Writ.Core.Domain;
using Writ.Core.Identity;

namespace Writ.Core.Tests.Identity;

public sealed class ClaimRuleMatcherTests
{
    private static ClaimRule Rule(string agent, params (string Claim, string Value)[] claims) =>
        new(claims.ToDictionary(c => c.Claim, c => c.Value), agent);

    [Fact]
    public void FirstMatchingRule_Wins()
    {
        var token = TestJwt.Token(new { sub = "sa:ci:deployer", repository = "acme/app" });

        var agent = ClaimRuleMatcher.Match(token, [Rule("first", ("repository", "acme/app")), Rule("second", ("sub", "sa:ci:deployer"))]);

        Assert.Equal("first", agent);
    }

    [Fact]
    public void EveryClaimOfARule_MustMatch()
    {
        var token = TestJwt.Token(new { sub = "sa:ci:deployer", repository = "acme/other" });

        Assert.Null(ClaimRuleMatcher.Match(token, [Rule("a", ("sub", "sa:ci:deployer"), ("repository", "acme/app"))]));
    }

    [Fact]
    public void MissingClaim_DoesNotMatch() =>
        Assert.Null(ClaimRuleMatcher.Match(TestJwt.Token(new { sub = "x" }), [Rule("a", ("repository", "acme/app"))]));

    [Fact]
    public void ValuesCompareExactly() =>
        Assert.Null(ClaimRuleMatcher.Match(TestJwt.Token(new { sub = "ACME/app" }), [Rule("a", ("sub", "acme/app"))]));

    [Fact]
    public void NumbersAndBooleans_MatchByJsonText()
    {
        var token = TestJwt.Token(new { run_attempt = 2, protected_branch = true });

        Assert.Equal("a", ClaimRuleMatcher.Match(token, [Rule("a", ("run_attempt", "2"), ("protected_branch", "true"))]));
    }

    [Fact]
    public void ArrayClaims_NeverMatch() =>
        Assert.Null(ClaimRuleMatcher.Match(TestJwt.Token(new { groups = new[] { "admins" } }), [Rule("a", ("groups", "admins"))]));
}
