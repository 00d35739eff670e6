using Writ.Core.Tasks;

namespace Writ.Core.Tests.Tasks;

public sealed class IntentNarrowingTests
{
    private static readonly TaskIntent Parent = new(
        "p",
        [new ToolGrant("github.search_issues", ["repo:a", "repo:b"]), new ToolGrant("db.query", ["db:orders"])],
        Sensitivity.Confidential,
        TimeSpan.FromMinutes(10));

    [Fact]
    public void SubsetOfToolsTargetsSensitivityAndTime_IsNotWidening()
    {
        var child = new TaskIntent("c", [new ToolGrant("github.search_issues", ["repo:b"])], Sensitivity.Internal, TimeSpan.FromMinutes(5));

        Assert.Null(IntentNarrowing.Widening(Parent, child, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void NewTool_IsWidening() =>
        Assert.Contains("github.create_issue", IntentNarrowing.Widening(Parent, Parent with { Tools = [new ToolGrant("github.create_issue", ["repo:a"])] }, TimeSpan.FromMinutes(10)), StringComparison.Ordinal);

    [Fact]
    public void NewTarget_IsWidening() =>
        Assert.Contains("repo:c", IntentNarrowing.Widening(Parent, Parent with { Tools = [new ToolGrant("github.search_issues", ["repo:a", "repo:c"])] }, TimeSpan.FromMinutes(10)), StringComparison.Ordinal);

    [Fact]
    public void HigherSensitivity_IsWidening() =>
        Assert.NotNull(IntentNarrowing.Widening(Parent, Parent with { Sensitivity = Sensitivity.Restricted }, TimeSpan.FromMinutes(10)));

    [Fact]
    public void OutlastingTheParent_IsWidening() =>
        Assert.NotNull(IntentNarrowing.Widening(Parent, Parent with { MaxDuration = TimeSpan.FromMinutes(6) }, TimeSpan.FromMinutes(5)));
}
