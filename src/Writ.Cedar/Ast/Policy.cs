using Writ.Cedar.Values;

namespace Writ.Cedar.Ast;

/// <summary>Whether a policy permits or forbids.</summary>
public enum Effect
{
    /// <summary><c>permit</c></summary>
    Permit,
    /// <summary><c>forbid</c></summary>
    Forbid,
}

/// <summary>Whether a condition is <c>when</c> or <c>unless</c>.</summary>
public enum ConditionKind
{
    /// <summary><c>when { ... }</c>: the body must be true.</summary>
    When,
    /// <summary><c>unless { ... }</c>: the body must be false.</summary>
    Unless,
}

/// <summary>A <c>when</c> or <c>unless</c> clause.</summary>
/// <param name="Kind">when or unless.</param>
/// <param name="Body">The condition expression.</param>
/// <param name="Span">Where the clause came from.</param>
public sealed record Condition(ConditionKind Kind, Expr Body, SourceSpan Span = default);

/// <summary>An annotation <c>@key("value")</c>; a missing value reads as the empty string.</summary>
/// <param name="Key">The annotation name.</param>
/// <param name="Value">The value, or null when written without one.</param>
/// <param name="Span">Where the annotation came from.</param>
public sealed record Annotation(string Key, string? Value, SourceSpan Span = default);

/// <summary>
/// A Cedar policy or template. A template has <c>?principal</c> or <c>?resource</c> slots in its scope;
/// a linked policy is a template with its slots filled (see <see cref="Link"/>).
/// </summary>
public sealed class Policy
{
    /// <summary>Creates a policy.</summary>
    public Policy(
        string id,
        Effect effect,
        ScopeConstraint principal,
        ActionConstraint action,
        ScopeConstraint resource,
        IReadOnlyList<Condition> conditions,
        IReadOnlyList<Annotation> annotations,
        SourceSpan span = default,
        string? templateId = null,
        IReadOnlyDictionary<SlotId, EntityUid>? slotValues = null)
    {
        Id = id;
        Effect = effect;
        Principal = principal;
        Action = action;
        Resource = resource;
        Conditions = conditions;
        Annotations = annotations;
        Span = span;
        TemplateId = templateId;
        SlotValues = slotValues;
    }

    /// <summary>The policy id, e.g. <c>policy0</c>.</summary>
    public string Id { get; }

    /// <summary>permit or forbid.</summary>
    public Effect Effect { get; }

    /// <summary>The principal scope.</summary>
    public ScopeConstraint Principal { get; }

    /// <summary>The action scope.</summary>
    public ActionConstraint Action { get; }

    /// <summary>The resource scope.</summary>
    public ScopeConstraint Resource { get; }

    /// <summary>The when/unless clauses in source order.</summary>
    public IReadOnlyList<Condition> Conditions { get; }

    /// <summary>The annotations in source order (keys are distinct).</summary>
    public IReadOnlyList<Annotation> Annotations { get; }

    /// <summary>Where the policy came from.</summary>
    public SourceSpan Span { get; }

    /// <summary>For a linked policy, the id of its template.</summary>
    public string? TemplateId { get; }

    /// <summary>For a linked policy, the values its slots were filled with.</summary>
    public IReadOnlyDictionary<SlotId, EntityUid>? SlotValues { get; }

    /// <summary>Whether the policy has unfilled slots, i.e. is a template.</summary>
    public bool IsTemplate => Principal.Slot is not null || Resource.Slot is not null;

    /// <summary>The slots the template uses.</summary>
    public IReadOnlyList<SlotId> Slots
    {
        get
        {
            var slots = new List<SlotId>(2);
            if (Principal.Slot is not null)
            {
                slots.Add(SlotId.Principal);
            }

            if (Resource.Slot is not null)
            {
                slots.Add(SlotId.Resource);
            }

            return slots;
        }
    }

    /// <summary>The annotation value for <paramref name="key"/>, or null when absent.</summary>
    public string? GetAnnotation(string key)
    {
        foreach (var a in Annotations)
        {
            if (a.Key == key)
            {
                return a.Value ?? string.Empty;
            }
        }

        return null;
    }

    /// <summary>A copy with another id.</summary>
    public Policy WithId(string id) =>
        new(id, Effect, Principal, Action, Resource, Conditions, Annotations, Span, TemplateId, SlotValues);

    /// <summary>
    /// Links this template: fills every slot from <paramref name="values"/>. Throws <see cref="ArgumentException"/>
    /// when a slot the template uses has no value or a value is given for a slot it does not use.
    /// </summary>
    public Policy Link(string newId, IReadOnlyDictionary<SlotId, EntityUid> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var slots = Slots;
        foreach (var slot in slots)
        {
            if (!values.ContainsKey(slot))
            {
                throw new ArgumentException($"no value for slot ?{SlotName(slot)} of template {Id}", nameof(values));
            }
        }

        foreach (var key in values.Keys)
        {
            if (!slots.Contains(key))
            {
                throw new ArgumentException($"template {Id} has no slot ?{SlotName(key)}", nameof(values));
            }
        }

        var principal = Principal.Slot is { } ps ? Principal.Fill(values[ps]) : Principal;
        var resource = Resource.Slot is { } rs ? Resource.Fill(values[rs]) : Resource;
        return new Policy(newId, Effect, principal, Action, resource, Conditions, Annotations, Span, Id, new Dictionary<SlotId, EntityUid>(values));
    }

    /// <summary>The slot name without the question mark.</summary>
    public static string SlotName(SlotId slot) => slot == SlotId.Principal ? "principal" : "resource";

    /// <summary>The policy in canonical Cedar text.</summary>
    public override string ToString() => Formatting.PolicyFormatter.Format(this);
}
