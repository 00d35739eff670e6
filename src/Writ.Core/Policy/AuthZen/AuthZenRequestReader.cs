using System.Text.Json;

namespace Writ.Core.Policy.AuthZen;

/// <summary>
/// Reads AuthZEN Authorization API 1.0 request bodies and enforces their structure: subject, action and resource are
/// REQUIRED objects; <c>type</c>, <c>id</c> and <c>name</c> are strings; <c>properties</c>, <c>context</c> and
/// <c>options</c> are objects when present (an optional member whose value is <c>null</c> counts as absent, as the
/// specification asks senders to omit nulls). Members the specification does not define are ignored, as it allows
/// augmentation. A failure of the whole request is a message naming the member, for a 400 response; a failure inside
/// one item of an <c>evaluations</c> array fails only that item, which is then denied.
/// </summary>
public static class AuthZenRequestReader
{
    /// <summary>Deepest JSON accepted.</summary>
    public const int MaxDepth = 64;

    /// <summary>Most evaluations in one request.</summary>
    public const int MaxEvaluations = 1000;

    /// <summary>Longest type, id or action name.</summary>
    public const int MaxNameLength = 1024;

    /// <summary>The JSON reader options for request bodies.</summary>
    public static JsonDocumentOptions DocumentOptions { get; } = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

    /// <summary>Reads an access evaluation request; null and <paramref name="error"/> when it is malformed.</summary>
    public static AuthZenEvaluation? ReadEvaluation(JsonElement root, out string? error)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = "the request body must be a JSON object";
            return null;
        }

        var parts = ReadParts(root, string.Empty, out error);
        return error is null ? Complete(parts, string.Empty, out error) : null;
    }

    /// <summary>Reads an access evaluations request, merging the top-level defaults into each evaluation.</summary>
    public static AuthZenBatch? ReadEvaluations(JsonElement root, out string? error)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = "the request body must be a JSON object";
            return null;
        }

        var defaults = ReadParts(root, string.Empty, out error);
        if (error is not null)
        {
            return null;
        }

        var semantic = EvaluationsSemantic.ExecuteAll;
        if (TryGetPresent(root, "options", out var options))
        {
            if (options.ValueKind != JsonValueKind.Object)
            {
                error = "'options' must be an object";
                return null;
            }

            if (TryGetPresent(options, "evaluations_semantic", out var s))
            {
                switch (s.ValueKind == JsonValueKind.String ? s.GetString() : null)
                {
                    case "execute_all":
                        semantic = EvaluationsSemantic.ExecuteAll;
                        break;
                    case "deny_on_first_deny":
                        semantic = EvaluationsSemantic.DenyOnFirstDeny;
                        break;
                    case "permit_on_first_permit":
                        semantic = EvaluationsSemantic.PermitOnFirstPermit;
                        break;
                    default:
                        error = "'options.evaluations_semantic' must be \"execute_all\", \"deny_on_first_deny\" or \"permit_on_first_permit\"";
                        return null;
                }
            }
        }

        if (!TryGetPresent(root, "evaluations", out var items) || (items.ValueKind == JsonValueKind.Array && items.GetArrayLength() == 0))
        {
            // Without evaluations the request is a single access evaluation (backwards compatible).
            var single = Complete(defaults, string.Empty, out error);
            return single is null ? null : new AuthZenBatch(null, single, semantic);
        }

        if (items.ValueKind != JsonValueKind.Array)
        {
            error = "'evaluations' must be an array";
            return null;
        }

        if (items.GetArrayLength() > MaxEvaluations)
        {
            error = $"'evaluations' has more than {MaxEvaluations} items";
            return null;
        }

        var list = new List<AuthZenBatchItem>(items.GetArrayLength());
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            list.Add(ReadItem(item, defaults, $"evaluations[{index++}]."));
        }

        return new AuthZenBatch(list, null, semantic);
    }

    // A failure inside one item is that item's deny, not the request's 400: the other items are still decided.
    private static AuthZenBatchItem ReadItem(JsonElement item, Parts defaults, string where)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return new AuthZenBatchItem(null, $"'{where[..^1]}' must be an object");
        }

        var own = ReadParts(item, where, out var error);
        if (error is not null)
        {
            return new AuthZenBatchItem(null, error);
        }

        var merged = new Parts(own.Subject ?? defaults.Subject, own.Action ?? defaults.Action, own.Resource ?? defaults.Resource, own.Context ?? defaults.Context);
        var evaluation = Complete(merged, where, out error);
        return new AuthZenBatchItem(evaluation, error);
    }

    private static Parts ReadParts(JsonElement obj, string where, out string? error)
    {
        error = null;
        AuthZenEntity? subject = null;
        AuthZenAction? action = null;
        AuthZenEntity? resource = null;
        JsonElement? context = null;
        if (TryGetPresent(obj, "subject", out var s) && (subject = ReadEntity(s, where + "subject", out error)) is null)
        {
            return default;
        }

        if (TryGetPresent(obj, "action", out var a) && (action = ReadAction(a, where + "action", out error)) is null)
        {
            return default;
        }

        if (TryGetPresent(obj, "resource", out var r) && (resource = ReadEntity(r, where + "resource", out error)) is null)
        {
            return default;
        }

        if (TryGetPresent(obj, "context", out var c))
        {
            if (c.ValueKind != JsonValueKind.Object)
            {
                error = $"'{where}context' must be an object";
                return default;
            }

            context = c;
        }

        return new Parts(subject, action, resource, context);
    }

    private static AuthZenEvaluation? Complete(Parts parts, string where, out string? error)
    {
        error = parts.Subject is null ? $"'{where}subject' is required"
            : parts.Action is null ? $"'{where}action' is required"
            : parts.Resource is null ? $"'{where}resource' is required"
            : null;
        return error is null ? new AuthZenEvaluation(parts.Subject!, parts.Action!, parts.Resource!, parts.Context) : null;
    }

    private static AuthZenEntity? ReadEntity(JsonElement e, string where, out string? error)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            error = $"'{where}' must be an object with 'type' and 'id'";
            return null;
        }

        var type = RequiredString(e, "type", where, out error);
        if (type is null)
        {
            return null;
        }

        var id = RequiredString(e, "id", where, out error);
        if (id is null)
        {
            return null;
        }

        var properties = OptionalObject(e, where, out error);
        return error is null ? new AuthZenEntity(type, id, properties) : null;
    }

    private static AuthZenAction? ReadAction(JsonElement e, string where, out string? error)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            error = $"'{where}' must be an object with 'name'";
            return null;
        }

        var name = RequiredString(e, "name", where, out error);
        if (name is null)
        {
            return null;
        }

        var properties = OptionalObject(e, where, out error);
        return error is null ? new AuthZenAction(name, properties) : null;
    }

    // An empty string is a string: the specification only types these members, so an empty one is decided (and
    // denied where it names nothing) rather than refused.
    private static string? RequiredString(JsonElement e, string member, string where, out string? error)
    {
        if (!e.TryGetProperty(member, out var value))
        {
            error = $"'{where}.{member}' is required";
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            error = $"'{where}.{member}' must be a string";
            return null;
        }

        var text = value.GetString()!;
        if (text.Length > MaxNameLength)
        {
            error = $"'{where}.{member}' must have at most {MaxNameLength} characters";
            return null;
        }

        error = null;
        return text;
    }

    private static JsonElement? OptionalObject(JsonElement e, string where, out string? error)
    {
        error = null;
        if (!TryGetPresent(e, "properties", out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            error = $"'{where}.properties' must be an object";
            return null;
        }

        return value;
    }

    private static bool TryGetPresent(JsonElement obj, string member, out JsonElement value) =>
        obj.TryGetProperty(member, out value) && value.ValueKind != JsonValueKind.Null;

    private readonly record struct Parts(AuthZenEntity? Subject, AuthZenAction? Action, AuthZenEntity? Resource, JsonElement? Context);
}
