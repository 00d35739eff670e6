using System.Text.Json;

namespace Writ.Core.Policy.AuthZen;

/// <summary>An AuthZEN subject or resource: <c>{"type", "id", "properties"?}</c>.</summary>
/// <param name="Type">The type, mapped to the Cedar entity type.</param>
/// <param name="Id">The id, mapped to the Cedar entity id.</param>
/// <param name="Properties">The properties object, merged over the stored entity's attributes; null when absent.</param>
public sealed record AuthZenEntity(string Type, string Id, JsonElement? Properties);

/// <summary>An AuthZEN action: <c>{"name", "properties"?}</c>.</summary>
/// <param name="Name">The action name, mapped to the Cedar action id.</param>
/// <param name="Properties">The properties object, offered to policies as members of the Cedar context; null when absent.</param>
public sealed record AuthZenAction(string Name, JsonElement? Properties);

/// <summary>One access evaluation: the 4-tuple of subject, action, resource and context.</summary>
/// <param name="Subject">The subject.</param>
/// <param name="Action">The action.</param>
/// <param name="Resource">The resource.</param>
/// <param name="Context">The context object; null when absent.</param>
public sealed record AuthZenEvaluation(AuthZenEntity Subject, AuthZenAction Action, AuthZenEntity Resource, JsonElement? Context);

/// <summary>How a batch of evaluations is executed (<c>options.evaluations_semantic</c>).</summary>
public enum EvaluationsSemantic
{
    /// <summary><c>execute_all</c>: every evaluation, every result (the default).</summary>
    ExecuteAll,

    /// <summary><c>deny_on_first_deny</c>: stop after the first deny (or failure), like <c>&amp;&amp;</c>.</summary>
    DenyOnFirstDeny,

    /// <summary><c>permit_on_first_permit</c>: stop after the first permit, like <c>||</c>.</summary>
    PermitOnFirstPermit,
}

/// <summary>One item of an <c>evaluations</c> array: the evaluation with the defaults merged in, or why the item cannot be evaluated.</summary>
/// <param name="Evaluation">The evaluation; null when the item is malformed.</param>
/// <param name="Error">Why the item cannot be evaluated (it is then denied); null when it can.</param>
public sealed record AuthZenBatchItem(AuthZenEvaluation? Evaluation, string? Error);

/// <summary>An access evaluations request: the evaluations with the defaults merged in, or a single evaluation.</summary>
/// <param name="Evaluations">The items in request order; null when the request has no (or an empty) <c>evaluations</c> array.</param>
/// <param name="Single">The top-level evaluation when <paramref name="Evaluations"/> is null.</param>
/// <param name="Semantic">The requested semantic.</param>
public sealed record AuthZenBatch(IReadOnlyList<AuthZenBatchItem>? Evaluations, AuthZenEvaluation? Single, EvaluationsSemantic Semantic);
