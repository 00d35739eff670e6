using System.Buffers;
using System.Text.Json;
using Writ.Cedar.Json;
using Writ.Cedar.Schema;
using Writ.Cedar.Values;

namespace Writ.Core.Policy.AuthZen;

/// <summary>
/// Builds the Cedar context of one evaluation: the request's <c>context</c> members, then the action's
/// <c>properties</c> members the context does not already have (Cedar actions carry no request attributes, so the
/// context is where a policy reads them, e.g. <c>context.soft</c>). With a schema the result is read against the
/// action's context type, and members that type does not declare are left out first: policies validated against
/// the schema cannot read them, so they could only turn a decision into an error.
/// </summary>
internal static class ContextComposer
{
    public static RecordValue Compose(CedarSchema? schema, AuthZenEvaluation evaluation, EntityUid action)
    {
        var context = evaluation.Context;
        var actionProperties = evaluation.Action.Properties;
        if (context is null && actionProperties is null)
        {
            return RecordValue.Empty;
        }

        var declared = schema?.GetAction(action)?.Context;
        if (actionProperties is null && (declared is null || declared.Open || AllDeclared(context!.Value, declared)))
        {
            return Read(schema, context!.Value, action);
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            var written = new HashSet<string>(StringComparer.Ordinal);
            foreach (var source in (ReadOnlySpan<JsonElement?>)[context, actionProperties])
            {
                if (source is not { } members)
                {
                    continue;
                }

                foreach (var member in members.EnumerateObject())
                {
                    if (Keeps(declared, member.Name) && written.Add(member.Name))
                    {
                        member.WriteTo(w);
                    }
                }
            }

            w.WriteEndObject();
        }

        using var composed = JsonDocument.Parse(buffer.WrittenMemory, AuthZenRequestReader.DocumentOptions);
        return Read(schema, composed.RootElement, action);
    }

    /// <summary>Whether a member of a request's properties or context can matter to policies typed by <paramref name="declared"/>.</summary>
    public static bool Keeps(RecordType? declared, string member) =>
        declared is null || declared.Open || declared.Attributes.ContainsKey(member);

    private static bool AllDeclared(JsonElement members, RecordType declared)
    {
        foreach (var member in members.EnumerateObject())
        {
            if (!declared.Attributes.ContainsKey(member.Name))
            {
                return false;
            }
        }

        return true;
    }

    private static RecordValue Read(CedarSchema? schema, JsonElement context, EntityUid action) =>
        schema is not null ? SchemaEntities.ParseContext(context, schema, action) : EntityJson.ReadContext(context);
}
