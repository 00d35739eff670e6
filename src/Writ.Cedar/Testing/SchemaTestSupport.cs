using System.Text.Json;
using Writ.Cedar.Authorization;
using Writ.Cedar.Schema;
using Writ.Cedar.Validation;
using Writ.Cedar.Values;

namespace Writ.Cedar.Testing;

/// <summary>Conformance-test schema support backed by <see cref="CedarSchema"/> and the strict validator.</summary>
public sealed class SchemaTestSupport : ITestSchemaSupport
{
    /// <summary>The shared instance.</summary>
    public static SchemaTestSupport Instance { get; } = new();

    /// <inheritdoc />
    public ITestSchema Load(string text, bool isJson) => new Loaded(isJson ? CedarSchema.ParseJson(text) : CedarSchema.Parse(text));

    private sealed class Loaded(CedarSchema schema) : ITestSchema
    {
        public IReadOnlyList<Entity> ParseEntities(JsonElement entities) => SchemaEntities.ParseEntities(entities, schema);

        public RecordValue ParseContext(JsonElement context, EntityUid action) => SchemaEntities.ParseContext(context, schema, action);

        public bool Validate(PolicySet policies, out IReadOnlyList<string> messages)
        {
            var all = policies.Policies.Concat(policies.Templates.Values);
            var result = PolicyValidator.Validate(all, schema);
            messages = [.. result.Errors.Select(e => e.ToString())];
            return result.Passed;
        }

        public IReadOnlyList<string> ValidateRequest(Request request) => RequestValidator.Validate(request, schema);
    }
}
