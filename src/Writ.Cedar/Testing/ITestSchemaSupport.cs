using System.Text.Json;
using Writ.Cedar.Authorization;

namespace Writ.Cedar.Testing;

/// <summary>The schema-dependent steps of a conformance test: schema-based parsing and validation.</summary>
public interface ITestSchemaSupport
{
    /// <summary>Loads a schema; <paramref name="isJson"/> tells the JSON format from the human one. Throws on a bad schema.</summary>
    ITestSchema Load(string text, bool isJson);
}

/// <summary>A loaded schema, as the conformance runner uses it.</summary>
public interface ITestSchema
{
    /// <summary>Parses entities against the schema and adds the schema's action entities.</summary>
    IReadOnlyList<Entity> ParseEntities(JsonElement entities);

    /// <summary>Parses a request context against the context type of <paramref name="action"/>.</summary>
    Values.RecordValue ParseContext(JsonElement context, Values.EntityUid action);

    /// <summary>Whether the policies pass strict validation; <paramref name="messages"/> explains failures.</summary>
    bool Validate(PolicySet policies, out IReadOnlyList<string> messages);

    /// <summary>The problems with a request under the schema; empty when valid.</summary>
    IReadOnlyList<string> ValidateRequest(Request request);
}
