using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Writ.Cedar.Testing;

namespace Writ.Cedar.Tests.Conformance;

public sealed class RunnerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("writ-cedar-runner-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Policies = "permit(principal == User::\"a\", action, resource); forbid(principal, action, resource) when { resource.nope };";
    private const string Entities = """[{"uid": {"type": "User", "id": "a"}, "attrs": {}, "parents": []}, {"uid": {"type": "Doc", "id": "d"}, "attrs": {}, "parents": []}]""";

    private static string Case(string decision, string reasons, string errors) => $$"""
        {
          "policies": "p.cedar",
          "entities": "e.entities.json",
          "shouldValidate": false,
          "requests": [
            {"description": "r0", "principal": {"type": "User", "id": "a"}, "action": {"type": "Action", "id": "view"},
             "resource": {"type": "Doc", "id": "d"}, "context": {}, "decision": "{{decision}}", "reason": [{{reasons}}], "errors": [{{errors}}]}
          ]
        }
        """;

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_dir, name), text);

    [Fact]
    public void MatchingCase_Passes()
    {
        Write("p.cedar", Policies);
        Write("e.entities.json", Entities);
        Write("ok.json", Case("allow", "\"policy0\"", "\"policy1\""));
        var report = new ConformanceRunner(null).Run(TestInput.Open(Path.Combine(_dir, "ok.json"), _dir));
        Assert.Equal("1 passed, 0 failed", report.Summary);
    }

    [Fact]
    public void WrongExpectation_IsReportedWithCaseRequestAndDifference()
    {
        Write("p.cedar", Policies);
        Write("e.entities.json", Entities);
        Write("bad.json", Case("deny", "", ""));
        var report = new ConformanceRunner(null).Run(TestInput.Open(_dir, _dir));
        Assert.Equal("0 passed, 1 failed", report.Summary);
        var f = Assert.Single(report.Failures);
        Assert.EndsWith("bad.json", f.Case, StringComparison.Ordinal);
        Assert.Equal("r0", f.Request);
        Assert.Contains("decision expected deny, got allow", f.Difference, StringComparison.Ordinal);
        Assert.Contains("errors expected [], got [policy1]", f.Difference, StringComparison.Ordinal);
    }

    [Fact]
    public void Directory_SkipsEntitiesFiles()
    {
        Write("p.cedar", Policies);
        Write("e.entities.json", Entities);
        Write("ok.json", Case("allow", "\"policy0\"", "\"policy1\""));
        Assert.Single(TestInput.Open(_dir, _dir).TestFiles);
    }

    [Fact]
    public void Tarball_IsReadInPlace()
    {
        var tarPath = Path.Combine(_dir, "cases.tar.gz");
        using (var file = File.Create(tarPath))
        using (var gz = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gz))
        {
            Add(tar, "p.cedar", Policies);
            Add(tar, "e.entities.json", Entities);
            Add(tar, "ok.json", Case("allow", "\"policy0\"", "\"policy1\""));
        }

        var input = TestInput.Open(tarPath, Path.Combine(_dir, "elsewhere"));
        Assert.Equal(["ok.json"], input.TestFiles);
        Assert.Equal("1 passed, 0 failed", new ConformanceRunner(null).Run(input).Summary);
    }

    [Fact]
    public void CorruptTarball_IsUnreadableInput()
    {
        var path = Path.Combine(_dir, "bad.tar.gz");
        File.WriteAllBytes(path, [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4]);
        Assert.ThrowsAny<InvalidDataException>(() => TestInput.Open(path, _dir));
    }

    [Fact]
    public void MissingInput_IsUnreadableInput() =>
        Assert.Throws<FileNotFoundException>(() => TestInput.Open(Path.Combine(_dir, "nope.json"), _dir));

    [Fact]
    public void UnloadableCase_FailsEveryRequest()
    {
        Write("p.cedar", "permit(principal, action, resource)");
        Write("e.entities.json", Entities);
        Write("broken.json", Case("allow", "", ""));
        var report = new ConformanceRunner(null).Run(TestInput.Open(Path.Combine(_dir, "broken.json"), _dir));
        Assert.Equal(1, report.Failed);
        Assert.Contains("could not be loaded", report.Failures[0].Difference, StringComparison.Ordinal);
    }

    private static void Add(TarWriter tar, string name, string text)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) };
        tar.WriteEntry(entry);
    }
}
