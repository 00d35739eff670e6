using Writ.Cedar.Schema;
using Writ.Cedar.Tests.Validation;

namespace Writ.Cedar.Tests.Schema;

public sealed class CorpusSchemaRoundTripTests
{
    [Fact]
    public void EveryConformanceSchema_SurvivesHumanToJsonToHuman()
    {
        var root = ConformanceData.Root();
        var files = ConformanceData.ReadTarball(Path.Combine(root, "corpus-tests.tar.gz"));
        var schemas = files.Where(f => f.Key.EndsWith(".cedarschema", StringComparison.Ordinal)).Select(f => (f.Key, f.Value))
            .Concat(Directory.GetFiles(Path.Combine(root, "sample-data"), "*.cedarschema", SearchOption.AllDirectories).Select(f => (f, File.ReadAllText(f))))
            .ToList();
        var failures = new List<string>();

        foreach (var (name, text) in schemas)
        {
            var original = CedarSchema.Parse(text);
            var viaJson = CedarSchema.ParseJson(original.ToJson());
            var back = CedarSchema.Parse(viaJson.ToCedarText());
            foreach (var s in new[] { viaJson, back })
            {
                if (s.EntityTypes.Count != original.EntityTypes.Count || s.Actions.Count != original.Actions.Count ||
                    original.EntityTypes.Any(e => !s.EntityTypes[e.Key].Attributes.Equals(e.Value.Attributes) || !Equals(s.EntityTypes[e.Key].Tags, e.Value.Tags)) ||
                    original.Actions.Any(a => !s.Actions[a.Key].Context.Equals(a.Value.Context) || !s.Actions[a.Key].Ancestors.SetEquals(a.Value.Ancestors)))
                {
                    failures.Add(name);
                }
            }
        }

        Assert.True(schemas.Count > 3900);
        Assert.Empty(failures);
    }
}
