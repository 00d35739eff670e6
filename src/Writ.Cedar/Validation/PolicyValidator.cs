using Writ.Cedar.Ast;
using Writ.Cedar.Authorization;
using Writ.Cedar.Schema;
using Writ.Cedar.Values;

namespace Writ.Cedar.Validation;

/// <summary>
/// Strict validation of policies against a schema, matching cedar 4.13: unknown entity types, unknown actions,
/// invalid enumerated entities and type errors are errors; a scope that no request the schema allows can match
/// (an invalid action application) and a policy that is always false are warnings.
/// </summary>
public static class PolicyValidator
{
    /// <summary>Validates static policies, templates and template-linked policies.</summary>
    public static ValidationResult Validate(IEnumerable<Policy> policies, CedarSchema schema) => Validate(policies, schema, ValidationOptions.Default);

    /// <summary>Validates static policies, templates and template-linked policies, within the given limits.</summary>
    public static ValidationResult Validate(IEnumerable<Policy> policies, CedarSchema schema, ValidationOptions options)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<ValidationIssue>();
        var warnings = new List<ValidationIssue>();
        foreach (var policy in policies)
        {
            if (policy.TemplateId is not null)
            {
                ValidateLink(policy, schema, errors, warnings);
            }
            else
            {
                ValidatePolicy(policy, schema, options, errors, warnings);
            }
        }

        return new ValidationResult(errors, warnings);
    }

    /// <summary>Validates a policy set: its static policies, its templates and its template-linked policies.</summary>
    public static ValidationResult Validate(PolicySet policySet, CedarSchema schema)
    {
        ArgumentNullException.ThrowIfNull(policySet);
        return Validate(policySet.Policies.Concat(policySet.Templates.Values), schema);
    }

    /// <summary>Validates one policy or template.</summary>
    public static ValidationResult Validate(Policy policy, CedarSchema schema) => Validate([policy], schema);

    /// <summary>Validates a policy set within the given limits.</summary>
    public static ValidationResult Validate(PolicySet policySet, CedarSchema schema, ValidationOptions options)
    {
        ArgumentNullException.ThrowIfNull(policySet);
        return Validate(policySet.Policies.Concat(policySet.Templates.Values), schema, options);
    }

    private static void ValidatePolicy(Policy policy, CedarSchema schema, ValidationOptions options, List<ValidationIssue> errors, List<ValidationIssue> warnings)
    {
        var condition = PolicyCondition.Build(policy);
        CheckEntityTypesAndLiterals(policy, condition, schema, errors);
        if (!ScopeCanApply(policy, schema))
        {
            warnings.Add(new ValidationIssue(policy.Id, ValidationIssueKind.InvalidActionApplication,
                "unable to find an applicable action given the policy scope constraints: check the principal and resource types its actions apply to", policy.Span));
        }

        var allFalse = true;
        var checkedEnvironments = 0L;
        var keys = new CapabilityKeys();
        try
        {
            foreach (var env in schema.RequestEnvironments)
            {
                foreach (var linked in LinkEnvironment(env, policy, schema))
                {
                    // Hostile schemas can declare millions of principal/resource combinations: stop at the limit.
                    if (++checkedEnvironments > options.MaxRequestEnvironments)
                    {
                        errors.Add(new ValidationIssue(policy.Id, ValidationIssueKind.TooManyRequestEnvironments,
                            $"the schema allows more than {options.MaxRequestEnvironments} request environments for this policy; raise ValidationOptions.MaxRequestEnvironments to validate it", policy.Span));
                        return;
                    }

                    var answer = new Typechecker(schema, linked, policy.Id, errors, keys).CheckCondition(condition);
                    if (answer.Type is not BoolType { Kind: BoolKind.False })
                    {
                        allFalse = false;
                    }
                }
            }
        }
        catch (InsufficientExecutionStackException)
        {
            errors.Add(new ValidationIssue(policy.Id, ValidationIssueKind.NestingTooDeep, "the policy is nested too deeply to validate", policy.Span));
            return;
        }

        if (allFalse)
        {
            warnings.Add(new ValidationIssue(policy.Id, ValidationIssueKind.ImpossiblePolicy, "policy is impossible: the policy expression evaluates to false for all valid requests", policy.Span));
        }
    }

    private static void ValidateLink(Policy link, CedarSchema schema, List<ValidationIssue> errors, List<ValidationIssue> warnings)
    {
        foreach (var (_, uid) in link.SlotValues ?? new Dictionary<SlotId, EntityUid>())
        {
            if (!schema.IsKnownEntityType(uid.Type))
            {
                errors.Add(new ValidationIssue(link.Id, ValidationIssueKind.UnrecognizedEntityType, $"unrecognized entity type `{uid.Type}` in a template slot", link.Span));
            }
        }

        if (!ScopeCanApply(link, schema))
        {
            warnings.Add(new ValidationIssue(link.Id, ValidationIssueKind.InvalidActionApplication,
                "unable to find an applicable action given the policy scope constraints of this linked policy", link.Span));
        }
    }

    /// <summary>Environments with the template's slots bound to the entity types that could make its scope true.</summary>
    private static IEnumerable<RequestEnvironment> LinkEnvironment(RequestEnvironment env, Policy policy, CedarSchema schema)
    {
        foreach (var p in SlotLinks(policy.Principal, env.Principal, schema))
        {
            foreach (var r in SlotLinks(policy.Resource, env.Resource, schema))
            {
                yield return env with { PrincipalSlot = p, ResourceSlot = r };
            }
        }
    }

    private static IEnumerable<EntityType?> SlotLinks(ScopeConstraint scope, EntityType var, CedarSchema schema)
    {
        if (scope.Slot is null)
        {
            return [null];
        }

        return scope.Kind switch
        {
            ScopeKind.Eq => [var],
            ScopeKind.In or ScopeKind.IsIn => schema.EntityTypes.Values.Where(t => t.Descendants.Contains(var)).Select(t => (EntityType?)t.Name).Append(var),
            _ => schema.EntityTypes.Keys.Select(t => (EntityType?)t),
        };
    }

    private static void CheckEntityTypesAndLiterals(Policy policy, Expr condition, CedarSchema schema, List<ValidationIssue> errors)
    {
        var types = new List<(EntityType Type, SourceSpan Span)>();
        var uids = new List<(EntityUid Uid, SourceSpan Span)>();
        PolicyCondition.CollectEntities(condition, types, uids);
        foreach (var (type, span) in types)
        {
            if (!schema.IsKnownEntityType(type))
            {
                errors.Add(new ValidationIssue(policy.Id, ValidationIssueKind.UnrecognizedEntityType, $"unrecognized entity type `{type}`", span));
            }
        }

        foreach (var (uid, span) in uids)
        {
            if (uid.Type.IsAction)
            {
                if (schema.GetAction(uid) is null)
                {
                    errors.Add(new ValidationIssue(policy.Id, ValidationIssueKind.UnrecognizedActionId, $"unrecognized action {uid}", span));
                }
            }
            else if (schema.GetEntityType(uid.Type) is { EnumChoices: { } choices } && !choices.Contains(uid.Id))
            {
                errors.Add(new ValidationIssue(policy.Id, ValidationIssueKind.InvalidEnumEntity,
                    $"entity {uid} is not valid: type `{uid.Type}` only has the ids {string.Join(", ", choices.Select(CedarText.Quote))}", span));
            }
        }
    }

    /// <summary>Whether some action the scope allows applies to some principal and resource type the scope allows.</summary>
    private static bool ScopeCanApply(Policy policy, CedarSchema schema)
    {
        IEnumerable<SchemaAction> actions = policy.Action.Kind switch
        {
            ActionScopeKind.Any => schema.Actions.Values,
            ActionScopeKind.Eq => schema.GetAction(policy.Action.Entities[0]) is { } a ? [a] : [],
            _ => (schema.ActionsIn(policy.Action.Entities) ?? []).Select(schema.GetAction).OfType<SchemaAction>(),
        };
        var principals = ScopeTypes(policy.Principal, schema);
        var resources = ScopeTypes(policy.Resource, schema);
        return actions.Any(a => a.Principals.Any(principals.Contains) && a.Resources.Any(resources.Contains));
    }

    private static HashSet<EntityType> ScopeTypes(ScopeConstraint scope, CedarSchema schema)
    {
        var all = schema.EntityTypes.Keys;
        return scope.Kind switch
        {
            ScopeKind.Any => [.. all],
            ScopeKind.Eq when scope.Entity is { } e => [e.Type],
            ScopeKind.In when scope.Entity is { } e => [.. schema.EntityTypesIn(e.Type)],
            ScopeKind.Is or ScopeKind.IsIn when scope.Entity is null => schema.IsKnownEntityType(scope.EntityType!) ? [scope.EntityType!] : [],
            ScopeKind.IsIn => [.. schema.EntityTypesIn(scope.Entity!.Type).Where(t => t == scope.EntityType)],
            _ => [.. all],
        };
    }
}
