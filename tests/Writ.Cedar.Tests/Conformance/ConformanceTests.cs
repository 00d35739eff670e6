using Writ.Cedar.Testing;

namespace Writ.Cedar.Tests.Conformance;

public sealed class ConformanceTests(ITestOutputHelper output)
{
    [Fact]
    public void HandWrittenTests_AllAgree()
    {
        var root = ConformanceData.Root;
        var input = TestInput.Open(Path.Combine(root, "tests"), root);
        Assert.Equal(22, input.TestFiles.Count);
        AssertNoFailures(new ConformanceRunner().Run(input));
    }

    [Fact]
    public void CorpusTarball_AllAgree()
    {
        var root = ConformanceData.Root;
        var input = TestInput.Open(Path.Combine(root, "corpus-tests.tar.gz"), root);
        Assert.True(input.TestFiles.Count > 3900, $"only {input.TestFiles.Count} cases in the corpus");
        AssertNoFailures(new ConformanceRunner().Run(input));
    }

    private void AssertNoFailures(TestReport report)
    {
        foreach (var f in report.Failures.Take(200))
        {
            output.WriteLine(f.ToString());
        }

        output.WriteLine($"{report.Cases} cases: {report.Summary}");
        Assert.True(report.Failed == 0, $"{report.Summary}; first: {(report.Failures.Count > 0 ? report.Failures[0] : null)}");
    }
}
