using System.Text.Json;
using Writ.Cedar.Json;
using Writ.Cedar.Testing;

namespace Writ.Cli.Cedar;

// Names a failed request by its description and its principal, action and resource, read back from the test file:
// generated suites describe requests only as "Request 0", which says nothing on its own.
internal static class TestRequestLabel
{
    public static string For(TestInput tests, TestFailure failure)
    {
        if (failure.Request is "validation" or "case")
        {
            return failure.Request;
        }

        try
        {
            using var doc = JsonDocument.Parse(tests.ReadTestFile(failure.Case), new JsonDocumentOptions { MaxDepth = ValueJson.MaxDepth });
            if (!doc.RootElement.TryGetProperty("requests", out var requests) || requests.ValueKind != JsonValueKind.Array)
            {
                return failure.Request;
            }

            var index = 0;
            foreach (var request in requests.EnumerateArray())
            {
                var description = request.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : $"request {index}";
                index++;
                if (description == failure.Request)
                {
                    return $"{failure.Request}: {Uid(request, "principal")} {Uid(request, "action")} {Uid(request, "resource")}";
                }
            }
        }
        catch (Exception e) when (e is JsonException or IOException or InvalidDataException or CedarJsonException or KeyNotFoundException)
        {
            // The failure itself already says why the file could not be read.
        }

        return failure.Request;
    }

    private static string Uid(JsonElement request, string name)
    {
        try
        {
            return request.TryGetProperty(name, out var value) ? ValueJson.ReadEntityUid(value, name).ToString() : "?";
        }
        catch (CedarJsonException)
        {
            return "?";
        }
    }
}
