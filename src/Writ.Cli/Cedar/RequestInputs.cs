using System.CommandLine;
using System.Text.Json;
using Writ.Cedar.Authorization;
using Writ.Cedar.Json;
using Writ.Cedar.Parsing;
using Writ.Cedar.Schema;
using Writ.Cedar.Validation;
using Writ.Cedar.Values;

namespace Writ.Cli.Cedar;

// The request options of the official Cedar CLI: --principal, --action, --resource and --context, or the whole
// request in --request-json; with a schema the context is read against the action's context type and the request
// is validated unless --request-validation false.
internal sealed class RequestInputs
{
    // For `evaluate` without a request: entities no schema or store knows, so any use of them is visible.
    public static readonly EntityUid UnspecifiedPrincipal = new("Unspecified", "principal");
    public static readonly EntityUid UnspecifiedAction = new("Unspecified", "action");
    public static readonly EntityUid UnspecifiedResource = new("Unspecified", "resource");

    public Option<string?> Principal { get; } = new("--principal", "-l")
    {
        Description = "Principal of the request, e.g. User::\"alice\"",
        HelpName = "entity",
    };

    public Option<string?> Action { get; } = new("--action", "-a")
    {
        Description = "Action of the request, e.g. Action::\"view\"",
        HelpName = "entity",
    };

    public Option<string?> Resource { get; } = new("--resource", "-r")
    {
        Description = "Resource of the request, e.g. Photo::\"vacation.jpg\"",
        HelpName = "entity",
    };

    public Option<string?> Context { get; } = new("--context", "-c")
    {
        Description = "JSON file with the request context (a JSON object)",
        HelpName = "file",
    };

    public Option<string?> RequestJson { get; } = new("--request-json")
    {
        Description = "JSON file with the whole request: {\"principal\", \"action\", \"resource\", \"context\"}; replaces the four options above",
        HelpName = "file",
    };

    public Option<bool> RequestValidation { get; } = new("--request-validation")
    {
        Description = "Validate the request against the schema, when one is given; --request-validation false skips it [default: true]",
        DefaultValueFactory = _ => true,
        Arity = ArgumentArity.ZeroOrOne,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Principal);
        command.Options.Add(Action);
        command.Options.Add(Resource);
        command.Options.Add(Context);
        command.Options.Add(RequestJson);
        command.Options.Add(RequestValidation);
    }

    // With allowNone, a command line that names no request at all gets the Unspecified placeholders.
    public Request Load(CedarInvocation invocation, CedarSchema? schema, bool allowNone = false)
    {
        var principal = invocation.Get(Principal);
        var action = invocation.Get(Action);
        var resource = invocation.Get(Resource);
        var contextPath = invocation.Get(Context);
        Request request;
        var specified = true;
        if (invocation.Get(RequestJson) is { } requestPath)
        {
            if (principal is not null || action is not null || resource is not null || contextPath is not null)
            {
                throw new CedarInputException("--request-json replaces --principal, --action, --resource and --context; give one or the other");
            }

            request = FromJson(invocation.Io.Read(requestPath, "request"), schema);
        }
        else if (allowNone && principal is null && action is null && resource is null)
        {
            specified = false;
            request = new Request(UnspecifiedPrincipal, UnspecifiedAction, UnspecifiedResource, ReadContext(invocation, contextPath, null, null));
        }
        else
        {
            if (principal is null || action is null || resource is null)
            {
                throw new CedarInputException("a request needs --principal, --action and --resource (or --request-json)");
            }

            var actionUid = ParseUid(action, "--action");
            request = new Request(ParseUid(principal, "--principal"), actionUid, ParseUid(resource, "--resource"), ReadContext(invocation, contextPath, schema, actionUid));
        }

        if (schema is not null && specified && invocation.Get(RequestValidation))
        {
            var problems = RequestValidator.Validate(request, schema);
            if (problems.Count > 0)
            {
                throw new CedarInputException("the request does not conform to the schema: " + string.Join("; ", problems) + " (--request-validation false skips this check)");
            }
        }

        return request;
    }

    private static RecordValue ReadContext(CedarInvocation invocation, string? path, CedarSchema? schema, EntityUid? action)
    {
        if (path is null)
        {
            return RecordValue.Empty;
        }

        var source = invocation.Io.Read(path, "context");
        try
        {
            using var doc = JsonDocument.Parse(source.Text, new JsonDocumentOptions { MaxDepth = ValueJson.MaxDepth });
            return ContextFrom(doc.RootElement, schema, action);
        }
        catch (Exception e) when (e is JsonException or CedarJsonException or FormatException or ArgumentException or InvalidOperationException)
        {
            throw new CedarInputException(CedarDiagnostic.From(source.Name, e), e);
        }
    }

    private static RecordValue ContextFrom(JsonElement context, CedarSchema? schema, EntityUid? action) =>
        schema is not null && action is not null ? SchemaEntities.ParseContext(context, schema, action) : EntityJson.ReadContext(context);

    private static Request FromJson(CedarSource source, CedarSchema? schema)
    {
        try
        {
            using var doc = JsonDocument.Parse(source.Text, new JsonDocumentOptions { MaxDepth = ValueJson.MaxDepth });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new CedarInputException(new CedarDiagnostic(source.Name, "a request must be a JSON object"));
            }

            var principal = UidField(root, "principal", source.Name);
            var action = UidField(root, "action", source.Name);
            var resource = UidField(root, "resource", source.Name);
            var context = root.TryGetProperty("context", out var c) && c.ValueKind != JsonValueKind.Null
                ? ContextFrom(c, schema, action)
                : RecordValue.Empty;
            return new Request(principal, action, resource, context);
        }
        catch (Exception e) when (e is JsonException or CedarJsonException or FormatException or ArgumentException or InvalidOperationException)
        {
            throw new CedarInputException(CedarDiagnostic.From(source.Name, e), e);
        }
    }

    // The official CLI writes entities as Cedar text ("User::\"alice\""); the JSON form {"type", "id"} is accepted too.
    private static EntityUid UidField(JsonElement root, string name, string input)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            throw new CedarInputException(new CedarDiagnostic(input, $"the request has no \"{name}\""));
        }

        return value.ValueKind == JsonValueKind.String
            ? ParseUid(value.GetString()!, $"\"{name}\" in {input}")
            : ValueJson.ReadEntityUid(value, name);
    }

    private static EntityUid ParseUid(string text, string what)
    {
        try
        {
            return PolicyParser.ParseEntityUid(text);
        }
        catch (CedarParseException e)
        {
            throw new CedarInputException($"{what} is not an entity reference such as User::\"alice\": {text}: {e.Message}", e);
        }
    }
}
