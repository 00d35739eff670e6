using System.Text.Json;
using Writ.Cedar.Authorization;
using Writ.Cedar.Json;

namespace Writ.Bench.Cedar;

/// <summary>Writ.Cedar driven through its public API, in the two modes the benchmark compares.</summary>
internal static class WritEngine
{
    /// <summary>Reads a request object (principal, action, resource, context and, when present, entities).</summary>
    public static (Request Request, EntityStore? Entities) ReadRequest(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var request = new Request(
            ValueJson.ReadEntityUid(root.GetProperty("principal"), "principal"),
            ValueJson.ReadEntityUid(root.GetProperty("action"), "action"),
            ValueJson.ReadEntityUid(root.GetProperty("resource"), "resource"),
            EntityJson.ReadContext(root.GetProperty("context")));
        var entities = root.TryGetProperty("entities", out var e) ? new EntityStore(EntityJson.ReadEntities(e)) : null;
        return (request, entities);
    }

    /// <summary>Everything from text, every call: the work cedar-wasm's <c>isAuthorized</c> does per call.</summary>
    public static Response FromJson(string policies, string requestJson)
    {
        var set = PolicySet.Parse(policies);
        var (request, entities) = ReadRequest(requestJson);
        return Authorizer.IsAuthorized(request, set, entities ?? EntityStore.Empty);
    }
}
