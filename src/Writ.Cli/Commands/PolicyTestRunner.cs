using System.Text.Json;
using Writ.Cedar.Authorization;
using Writ.Cedar.Json;
using Writ.Cedar.Schema;
using Writ.Cedar.Values;
using Writ.Core.Policy;

namespace Writ.Cli.Commands;

// Runs one Cedar test file's requests against a compiled Writ policy set. A test file is the Cedar test format:
// {"entities": "<path>", "requests": [{"description", "principal", "action", "resource", "context", "decision",
// "reason": [...], "errors": [...]}]}; entities and contexts are read against the Writ schema, and the entities path is
// relative to the test file. One check per request; a file that cannot be read is one failed check.
internal sealed class PolicyTestRunner(PolicySet policies)
{
    public int Checks { get; private set; }

    public List<PolicyTestFailure> Run(string file)
    {
        var failures = new List<PolicyTestFailure>();
        JsonDocument doc;
        EntityStore entities;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { MaxDepth = ValueJson.MaxDepth });
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            Checks++;
            failures.Add(new PolicyTestFailure("file", "cannot read test file: " + e.Message));
            return failures;
        }

        using (doc)
        {
            var root = doc.RootElement;
            try
            {
                entities = Entities(root, Path.GetDirectoryName(file)!);
            }
            catch (Exception e) when (e is IOException or JsonException or FormatException or ArgumentException or InvalidOperationException or CedarJsonException or UnauthorizedAccessException)
            {
                Checks++;
                failures.Add(new PolicyTestFailure("entities", "cannot load entities: " + e.Message));
                return failures;
            }

            var requests = root.TryGetProperty("requests", out var r) && r.ValueKind == JsonValueKind.Array ? r.EnumerateArray().ToList() : [];
            for (var i = 0; i < requests.Count; i++)
            {
                Checks++;
                var name = requests[i].TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : $"request {i}";
                if (Check(requests[i], entities) is { } difference)
                {
                    failures.Add(new PolicyTestFailure(name, difference));
                }
            }
        }

        return failures;
    }

    private static EntityStore Entities(JsonElement root, string directory)
    {
        if (!root.TryGetProperty("entities", out var path) || path.ValueKind != JsonValueKind.String)
        {
            return new EntityStore(SchemaEntities.ActionEntities(WritSchema.Schema));
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, path.GetString()!)), new JsonDocumentOptions { MaxDepth = ValueJson.MaxDepth });
        return new EntityStore(SchemaEntities.ParseEntities(doc.RootElement, WritSchema.Schema));
    }

    private string? Check(JsonElement request, EntityStore entities)
    {
        Response response;
        try
        {
            var principal = ValueJson.ReadEntityUid(request.GetProperty("principal"), "principal");
            var action = ValueJson.ReadEntityUid(request.GetProperty("action"), "action");
            var resource = ValueJson.ReadEntityUid(request.GetProperty("resource"), "resource");
            var context = request.TryGetProperty("context", out var c) ? SchemaEntities.ParseContext(c, WritSchema.Schema, action) : RecordValue.Empty;
            response = Authorizer.IsAuthorized(new Request(principal, action, resource, context), policies, entities);
        }
        catch (Exception e) when (e is KeyNotFoundException or FormatException or ArgumentException or InvalidOperationException or CedarJsonException)
        {
            return "cannot build request: " + e.Message;
        }

        var diffs = new List<string>();
        var expected = request.TryGetProperty("decision", out var dec) && dec.ValueKind == JsonValueKind.String ? dec.GetString() : null;
        var actual = response.IsAllowed ? "allow" : "deny";
        if (!string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
        {
            diffs.Add($"decision expected {expected ?? "(none)"}, got {actual}");
        }

        Compare(diffs, "reason", Strings(request, "reason"), [.. response.Reasons]);
        Compare(diffs, "errors", Strings(request, "errors"), [.. response.Errors.Select(e => e.PolicyId)]);
        return diffs.Count == 0 ? null : string.Join("; ", diffs);
    }

    private static void Compare(List<string> diffs, string what, HashSet<string> expected, HashSet<string> actual)
    {
        if (!expected.SetEquals(actual))
        {
            diffs.Add($"{what} expected [{string.Join(", ", expected.Order(StringComparer.Ordinal))}], got [{string.Join(", ", actual.Order(StringComparer.Ordinal))}]");
        }
    }

    private static HashSet<string> Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? [.. array.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()!)]
            : [];
}

internal sealed record PolicyTestFailure(string Request, string Difference);
