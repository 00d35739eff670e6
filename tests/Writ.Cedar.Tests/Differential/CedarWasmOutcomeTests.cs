using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Writ.Cedar.Authorization;
using Writ.Cedar.Json;
using Writ.Cedar.Parsing;

namespace Writ.Cedar.Tests.Differential;

/// <summary>
/// Replays verdicts recorded from the official engine, <c>@cedar-policy/cedar-wasm@4.13.0</c>, on generated policy
/// text: whether each text parses, and for generated policy sets the decision, determining policies and erroring
/// policies of three requests. Each fixture line holds a hash of its input, so the generator is checked too.
/// Set WRIT_CEDAR_DIFF_DUMP to a file name to write the inputs for <c>Data/cedar-wasm-outcomes.js</c>.
/// </summary>
public sealed class CedarWasmOutcomeTests
{
    private static string DataFile(string name, [CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "Data", name);

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    private static List<string> ParseInputs() => [.. PolicyTextGenerator.ParseCases(777, 2000)];

    private static List<string> AuthorizationInputs() => [.. PolicyTextGenerator.AuthorizationCases(4243, 1000)];

    [Fact]
    public void ParseVerdicts_MatchCedarWasm()
    {
        var inputs = ParseInputs();
        DumpIfAsked(inputs);
        var lines = File.ReadAllLines(DataFile("cedar-wasm-4.13-parse.jsonl"));
        Assert.Equal(inputs.Count, lines.Length);
        var disagreements = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            Assert.Equal(doc.RootElement.GetProperty("h").GetString(), Hash(inputs[i]));
            var ours = PolicyParser.TryParsePolicies(inputs[i], out _, out var error);
            if (ours != doc.RootElement.GetProperty("ok").GetBoolean())
            {
                disagreements.Add($"cedar {(ours ? "rejects" : "accepts")}, ours {(ours ? "accepts" : "rejects: " + error!.Message)}: {inputs[i]}");
            }
        }

        Assert.Empty(disagreements);
    }

    [Fact]
    public void AuthorizationOutcomes_MatchCedarWasm()
    {
        using var setup = JsonDocument.Parse(File.ReadAllText(DataFile("authorize-setup.json")));
        var store = new EntityStore(EntityJson.ReadEntities(setup.RootElement.GetProperty("entities")));
        var requests = setup.RootElement.GetProperty("requests").EnumerateArray().Select(r => new Request(
            ValueJson.ReadEntityUid(r.GetProperty("principal")),
            ValueJson.ReadEntityUid(r.GetProperty("action")),
            ValueJson.ReadEntityUid(r.GetProperty("resource")),
            EntityJson.ReadContext(r.GetProperty("context")))).ToList();
        var inputs = AuthorizationInputs();
        var lines = File.ReadAllLines(DataFile("cedar-wasm-4.13-authorize.jsonl"));
        Assert.Equal(inputs.Count, lines.Length);
        var disagreements = new List<string>();
        var compared = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            Assert.Equal(doc.RootElement.GetProperty("h").GetString(), Hash(inputs[i]));
            var expected = doc.RootElement.GetProperty("out").EnumerateArray().Select(e => e.GetString()!).ToList();
            if (!PolicyParser.TryParsePolicies(inputs[i], out var policies, out _))
            {
                if (expected.Any(e => e != "failure"))
                {
                    disagreements.Add($"cedar parses, ours does not: {inputs[i]}");
                }

                continue;
            }

            var set = new PolicySet(policies);
            for (var k = 0; k < requests.Count; k++)
            {
                var r = Authorizer.IsAuthorized(requests[k], set, store);
                var ours = $"{(r.IsAllowed ? "allow" : "deny")}|{string.Join(",", r.Reasons.Order(StringComparer.Ordinal))}|{string.Join(",", r.Errors.Select(e => e.PolicyId).Order(StringComparer.Ordinal))}";
                compared++;
                if (ours != expected[k])
                {
                    disagreements.Add($"request {k}: cedar {expected[k]}, ours {ours}: {inputs[i]}");
                }
            }
        }

        Assert.True(compared > 2000, $"only {compared} outcomes compared");
        Assert.Empty(disagreements);
    }

    private static void DumpIfAsked(List<string> parseInputs)
    {
        var path = Environment.GetEnvironmentVariable("WRIT_CEDAR_DIFF_DUMP");
        if (!string.IsNullOrEmpty(path))
        {
            File.WriteAllText(path, JsonSerializer.Serialize(new { parse = parseInputs, authorize = AuthorizationInputs() }));
        }
    }
}
