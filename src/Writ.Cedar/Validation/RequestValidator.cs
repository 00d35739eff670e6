using Writ.Cedar.Authorization;
using Writ.Cedar.Schema;
using Writ.Cedar.Values;

namespace Writ.Cedar.Validation;

/// <summary>
/// Checks a request against a schema as Cedar does when asked to validate requests: the action is declared, the
/// principal and resource types are ones the action applies to (and valid ids of enumerated types), and the context
/// has the action's context type.
/// </summary>
public static class RequestValidator
{
    /// <summary>The problems with the request; empty when it is valid.</summary>
    public static IReadOnlyList<string> Validate(Request request, CedarSchema schema)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(schema);
        var errors = new List<string>();
        var action = schema.GetAction(request.Action);
        if (action is null)
        {
            errors.Add($"request's action {request.Action} is not declared in the schema");
            return errors;
        }

        CheckEntity(request.Principal, "principal", action.Principals, action, schema, errors);
        CheckEntity(request.Resource, "resource", action.Resources, action, schema, errors);
        if (!ValueConformance.Conforms(request.Context, action.Context, schema))
        {
            errors.Add($"context {request.Context} is not valid for action {action.Uid}: it must have type {action.Context}");
        }

        return errors;
    }

    private static void CheckEntity(EntityUid uid, string role, IReadOnlyList<EntityType> allowed, SchemaAction action, CedarSchema schema, List<string> errors)
    {
        var type = schema.GetEntityType(uid.Type);
        if (type is null)
        {
            errors.Add($"{role} type `{uid.Type}` is not declared in the schema");
            return;
        }

        if (!allowed.Contains(uid.Type))
        {
            errors.Add($"{role} type `{uid.Type}` is not valid for action {action.Uid}");
            return;
        }

        if (type.EnumChoices is { } choices && !choices.Contains(uid.Id))
        {
            errors.Add($"{role} {uid} is not one of the ids declared for enumerated type `{uid.Type}`");
        }
    }
}
