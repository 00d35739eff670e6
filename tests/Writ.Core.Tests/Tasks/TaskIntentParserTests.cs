using Writ.Core.Tasks;

namespace Writ.Core.Tests.Tasks;

public sealed class TaskIntentParserTests
{
    private const string Valid = """[{"type":"writ_task","purpose":"triage","tools":[{"tool":"github.search_issues","targets":["repo:acme/web"]}],"sensitivity":"confidential","max_duration":"PT10M"}]""";

    [Fact]
    public void ValidIntent_Parses_AndRoundTripsThroughItsJson()
    {
        var parsed = TaskIntentParser.ParseDetails(Valid, TimeSpan.FromMinutes(15));

        var intent = Assert.IsType<TaskIntent>(parsed.Intent);
        Assert.Equal("triage", intent.Purpose);
        Assert.Equal(Sensitivity.Confidential, intent.Sensitivity);
        Assert.Equal(TimeSpan.FromMinutes(10), intent.MaxDuration);
        Assert.True(intent.Declares("github.search_issues", "repo:acme/web"));
        Assert.False(intent.Declares("github.search_issues", "repo:acme/api"));
        Assert.Equal(intent.ToJson(), TaskIntent.FromJson(intent.ToJson()).ToJson());
    }

    [Fact]
    public void MissingDuration_TakesTheDefault()
    {
        var parsed = TaskIntentParser.ParseDetails(Valid.Replace(",\"max_duration\":\"PT10M\"", string.Empty, StringComparison.Ordinal), TimeSpan.FromMinutes(15));

        Assert.Equal(TimeSpan.FromMinutes(15), parsed.Intent!.MaxDuration);
    }

    [Theory]
    [InlineData("PT10M", true)]
    [InlineData("P1D", true)]
    [InlineData("PT1S", true)]
    [InlineData("PT0.5S", false)]
    [InlineData("PT0S", false)]
    [InlineData("P2D", false)]
    [InlineData("-PT1M", false)]
    [InlineData("pt10m", false)]
    [InlineData("600", false)]
    [InlineData("PT 10M", false)]
    [InlineData("", false)]
    public void Durations_AreIso8601_FromOneSecondToOneDay(string text, bool valid)
    {
        Assert.Equal(valid, TaskIntentParser.TryParseDuration(text, out _));
    }

    [Theory]
    [InlineData("github.search_issues", true)]
    [InlineData("mcp-fs.read/file", true)]
    [InlineData("github", false)]
    [InlineData(".x", false)]
    [InlineData("x.", false)]
    [InlineData("git hub.x", false)]
    [InlineData("github.x y", false)]
    [InlineData("gi:thub.x", false)]
    public void ToolNames_AreToolsetDotTool(string tool, bool valid)
    {
        Assert.Equal(valid, TaskIntentParser.IsToolName(tool));
    }

    [Fact]
    public void DuplicateMembers_AreRefused()
    {
        var duplicated = Valid.Replace("\"purpose\":\"triage\"", "\"purpose\":\"triage\",\"purpose\":\"other\"", StringComparison.Ordinal);

        Assert.Null(TaskIntentParser.ParseDetails(duplicated, TimeSpan.FromMinutes(1)).Intent);
    }

    [Fact]
    public void TwoTaskObjects_AreRefused()
    {
        var two = "[" + Valid[1..^1] + "," + Valid[1..^1] + "]";

        Assert.Contains("exactly one", TaskIntentParser.ParseDetails(two, TimeSpan.FromMinutes(1)).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ControlCharactersInPurpose_AreRefused()
    {
        Assert.Null(TaskIntentParser.ParseDetails(Valid.Replace("triage", "tri\\u0000age", StringComparison.Ordinal), TimeSpan.FromMinutes(1)).Intent);
    }

    [Fact]
    public void TooManyTargets_AreRefused()
    {
        var targets = string.Join(',', Enumerable.Range(0, 33).Select(i => $"\"t{i}\""));
        var text = Valid.Replace("\"repo:acme/web\"", targets, StringComparison.Ordinal);

        Assert.Null(TaskIntentParser.ParseDetails(text, TimeSpan.FromMinutes(1)).Intent);
    }
}
