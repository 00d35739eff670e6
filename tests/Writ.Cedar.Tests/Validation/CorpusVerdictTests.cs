using System.Text.Json;
using Writ.Cedar.Parsing;
using Writ.Cedar.Schema;
using Writ.Cedar.Validation;

namespace Writ.Cedar.Tests.Validation;

/// <summary>The validation verdict on every case of the Cedar conformance data, read in place, must equal <c>shouldValidate</c>.</summary>
public sealed class CorpusVerdictTests
{
    private static (int Agree, List<string> Disagree) Run(IEnumerable<KeyValuePair<string, string>> cases, Func<string, string> read)
    {
        var agree = 0;
        var disagree = new List<string>();
        foreach (var (name, json) in cases)
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var expected = root.GetProperty("shouldValidate").GetBoolean();
            var schema = CedarSchema.Parse(read(root.GetProperty("schema").GetString()!));
            var policies = PolicyParser.ParsePolicies(read(root.GetProperty("policies").GetString()!));
            var result = PolicyValidator.Validate(policies, schema);
            if (result.Passed == expected)
            {
                agree++;
            }
            else
            {
                disagree.Add($"{name}: expected {expected}, errors: {string.Join("; ", result.Errors.Take(3))}");
            }
        }

        return (agree, disagree);
    }

    [Fact]
    public void CorpusTarball_ValidationVerdicts_AllAgree()
    {
        var files = ConformanceData.ReadTarball(Path.Combine(ConformanceData.Root(), "corpus-tests.tar.gz"));
        var cases = files.Where(f => f.Key.EndsWith(".json", StringComparison.Ordinal) && !f.Key.EndsWith(".entities.json", StringComparison.Ordinal)).ToList();

        var (agree, disagree) = Run(cases, p => files[p]);

        Assert.True(cases.Count > 3900, $"only {cases.Count} cases found");
        Assert.True(disagree.Count == 0, $"{agree} agree, {disagree.Count} disagree:\n{string.Join("\n", disagree.Take(20))}");
    }

    [Fact]
    public void HandWrittenTests_ValidationVerdicts_AllAgree()
    {
        var root = ConformanceData.Root();
        var cases = Directory.GetFiles(Path.Combine(root, "tests"), "*.json", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".entities.json", StringComparison.Ordinal))
            .Select(f => new KeyValuePair<string, string>(f, File.ReadAllText(f)))
            .ToList();

        var (agree, disagree) = Run(cases, p => File.ReadAllText(Path.Combine(root, p)));

        Assert.Equal(22, cases.Count);
        Assert.True(disagree.Count == 0, $"{agree} agree, {disagree.Count} disagree:\n{string.Join("\n", disagree)}");
    }
}
