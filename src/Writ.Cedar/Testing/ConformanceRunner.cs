using System.Text.Json;
using Writ.Cedar.Authorization;
using Writ.Cedar.Json;
using Writ.Cedar.Values;

namespace Writ.Cedar.Testing;

/// <summary>
/// Runs Cedar conformance test files: for each case the policies, entities and schema are loaded, the validation
/// verdict is compared with <c>shouldValidate</c>, and every request's decision, reasons and erroring policies are
/// compared with the expected ones. One check per request plus one per case for the verdict.
/// </summary>
public sealed class ConformanceRunner
{
    private readonly ITestSchemaSupport? _schemaSupport;

    /// <summary>Creates a runner; without schema support, schema-based parsing and the verdict check are skipped.</summary>
    public ConformanceRunner(ITestSchemaSupport? schemaSupport) => _schemaSupport = schemaSupport;

    /// <summary>Creates a runner with the built-in schema support.</summary>
    public ConformanceRunner()
        : this(SchemaTestSupport.Instance)
    {
    }

    /// <summary>Runs every test file of <paramref name="input"/>.</summary>
    public TestReport Run(TestInput input)
    {
        var report = new TestReport();
        foreach (var file in input.TestFiles)
        {
            report.Cases++;
            RunCase(input, file, report);
        }

        return report;
    }

    /// <summary>Runs one test file.</summary>
    public void RunCase(TestInput input, string file, TestReport report)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(input.ReadTestFile(file), new JsonDocumentOptions { MaxDepth = ValueJson.MaxDepth });
        }
        catch (Exception ex) when (ex is JsonException or IOException or InvalidDataException)
        {
            report.Fail(file, "case", "cannot read test file: " + ex.Message);
            return;
        }

        using (doc)
        {
            RunCase(input, file, doc.RootElement, report);
        }
    }

    private void RunCase(TestInput input, string file, JsonElement root, TestReport report)
    {
        var requests = root.TryGetProperty("requests", out var r) && r.ValueKind == JsonValueKind.Array ? r.EnumerateArray().ToList() : [];
        string? setupError = null;
        PolicySet? policies = null;
        ITestSchema? schema = null;
        EntityStore? entities = null;
        try
        {
            var policyText = input.ReadReferenced(GetString(root, "policies"));
            policies = PolicySet.Parse(policyText);
            if (root.TryGetProperty("schema", out var schemaPath) && schemaPath.ValueKind == JsonValueKind.String && _schemaSupport is not null)
            {
                var path = schemaPath.GetString()!;
                schema = _schemaSupport.Load(input.ReadReferenced(path), path.EndsWith(".json", StringComparison.OrdinalIgnoreCase));
            }

            var entitiesText = root.TryGetProperty("entities", out var ep) && ep.ValueKind == JsonValueKind.String ? input.ReadReferenced(ep.GetString()!) : "[]";
            using var entitiesDoc = JsonDocument.Parse(entitiesText, new JsonDocumentOptions { MaxDepth = ValueJson.MaxDepth });
            entities = schema is not null
                ? new EntityStore(schema.ParseEntities(entitiesDoc.RootElement))
                : new EntityStore(EntityJson.ReadEntities(entitiesDoc.RootElement));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            setupError = ex.Message;
        }

        if (schema is not null && policies is not null && root.TryGetProperty("shouldValidate", out var sv) && sv.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            var expected = sv.GetBoolean();
            bool actual;
            IReadOnlyList<string> messages;
            try
            {
                actual = schema.Validate(policies, out messages);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                actual = false;
                messages = ["validator failed: " + ex.Message];
            }

            if (actual == expected)
            {
                report.Pass();
            }
            else
            {
                report.Fail(file, "validation", $"expected shouldValidate={expected.ToString().ToLowerInvariant()}, validator says {actual.ToString().ToLowerInvariant()}" + (messages.Count > 0 ? ": " + string.Join("; ", messages) : string.Empty));
            }
        }
        else if (setupError is not null && schema is null && _schemaSupport is not null)
        {
            report.Fail(file, "validation", "case could not be loaded: " + setupError);
        }

        var index = 0;
        foreach (var req in requests)
        {
            var name = req.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : $"request {index}";
            index++;
            if (setupError is not null)
            {
                report.Fail(file, name, "case could not be loaded: " + setupError);
                continue;
            }

            var difference = RunRequest(req, policies!, entities!, schema);
            if (difference is null)
            {
                report.Pass();
            }
            else
            {
                report.Fail(file, name, difference);
            }
        }
    }

    private static string? RunRequest(JsonElement req, PolicySet policies, EntityStore entities, ITestSchema? schema)
    {
        Request request;
        try
        {
            var principal = ValueJson.ReadEntityUid(req.GetProperty("principal"), "principal");
            var action = ValueJson.ReadEntityUid(req.GetProperty("action"), "action");
            var resource = ValueJson.ReadEntityUid(req.GetProperty("resource"), "resource");
            var contextEl = req.TryGetProperty("context", out var c) ? c : default;
            RecordValue context;
            if (contextEl.ValueKind == JsonValueKind.Undefined)
            {
                context = RecordValue.Empty;
            }
            else if (schema is not null)
            {
                context = schema.ParseContext(contextEl, action);
            }
            else
            {
                context = EntityJson.ReadContext(contextEl);
            }

            request = new Request(principal, action, resource, context);
            if (schema is not null && req.TryGetProperty("validateRequest", out var vr) && vr.ValueKind == JsonValueKind.True)
            {
                var problems = schema.ValidateRequest(request);
                if (problems.Count > 0)
                {
                    return "request does not validate: " + string.Join("; ", problems);
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return "cannot build request: " + ex.Message;
        }

        var response = Authorizer.IsAuthorized(request, policies, entities);
        var scoped = Authorizer.IsAuthorized(request, Authorizer.Scope(policies, entities, request.Principal, request.Action, request.Resource));
        if (!SameResponse(response, scoped))
        {
            return "policies selected once by scope answer differently from the full set";
        }

        var expectedDecision = req.TryGetProperty("decision", out var dec) ? dec.GetString() : null;
        var expectedReasons = StringSet(req, "reason");
        var expectedErrors = StringSet(req, "errors");
        var actualDecision = response.IsAllowed ? "allow" : "deny";
        var actualReasons = response.Reasons.ToHashSet(StringComparer.Ordinal);
        var actualErrors = response.Errors.Select(e => e.PolicyId).ToHashSet(StringComparer.Ordinal);
        var diffs = new List<string>();
        if (!string.Equals(expectedDecision, actualDecision, StringComparison.OrdinalIgnoreCase))
        {
            diffs.Add($"decision expected {expectedDecision}, got {actualDecision}");
        }

        if (!expectedReasons.SetEquals(actualReasons))
        {
            diffs.Add($"reason expected [{Join(expectedReasons)}], got [{Join(actualReasons)}]");
        }

        if (!expectedErrors.SetEquals(actualErrors))
        {
            var detail = string.Join("; ", response.Errors.Select(e => $"{e.PolicyId}: {e.Error.Message}"));
            diffs.Add($"errors expected [{Join(expectedErrors)}], got [{Join(actualErrors)}]" + (detail.Length > 0 ? $" ({detail})" : string.Empty));
        }

        return diffs.Count == 0 ? null : string.Join("; ", diffs);
    }

    private static bool SameResponse(Response a, Response b) =>
        a.Decision == b.Decision && a.Reasons.SequenceEqual(b.Reasons, StringComparer.Ordinal)
        && a.Errors.Select(e => (e.PolicyId, e.Error.Kind, e.Error.Message)).SequenceEqual(b.Errors.Select(e => (e.PolicyId, e.Error.Kind, e.Error.Message)));

    private static string Join(IEnumerable<string> s) => string.Join(", ", s.Order(StringComparer.Ordinal));

    private static HashSet<string> StringSet(JsonElement e, string name)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (e.TryGetProperty(name, out var arr) && arr.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in arr.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    set.Add(item.GetString()!);
                }
            }
        }

        return set;
    }

    private static string GetString(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!
            : throw new CedarJsonException($"test file has no \"{name}\" path");
}
