using Writ.Cedar.Values;

namespace Writ.Cedar.Ast;

/// <summary>The forms of a principal or resource scope constraint.</summary>
public enum ScopeKind
{
    /// <summary>No constraint: <c>principal</c>.</summary>
    Any,
    /// <summary><c>principal == E</c></summary>
    Eq,
    /// <summary><c>principal in E</c></summary>
    In,
    /// <summary><c>principal is T</c></summary>
    Is,
    /// <summary><c>principal is T in E</c></summary>
    IsIn,
}

/// <summary>
/// A principal or resource scope constraint. The entity operand of <see cref="ScopeKind.Eq"/>, <see cref="ScopeKind.In"/>
/// and <see cref="ScopeKind.IsIn"/> is either an entity reference or, in a template, a slot.
/// </summary>
public sealed class ScopeConstraint
{
    /// <summary>The unconstrained scope.</summary>
    public static readonly ScopeConstraint Any = new(ScopeKind.Any, null, null, null, default);

    /// <summary>Creates a constraint; use the factory methods for the usual forms.</summary>
    public ScopeConstraint(ScopeKind kind, EntityUid? entity, SlotId? slot, EntityType? entityType, SourceSpan span)
    {
        Kind = kind;
        Entity = entity;
        Slot = slot;
        EntityType = entityType;
        Span = span;
    }

    /// <summary>The form.</summary>
    public ScopeKind Kind { get; }

    /// <summary>The entity operand, when given as an entity reference.</summary>
    public EntityUid? Entity { get; }

    /// <summary>The entity operand, when given as a template slot.</summary>
    public SlotId? Slot { get; }

    /// <summary>The type of an <c>is</c> constraint.</summary>
    public EntityType? EntityType { get; }

    /// <summary>Where the constraint came from.</summary>
    public SourceSpan Span { get; }

    /// <summary>Whether the constraint has an entity operand.</summary>
    public bool HasEntityOperand => Kind is ScopeKind.Eq or ScopeKind.In or ScopeKind.IsIn;

    /// <summary><c>== entity</c></summary>
    public static ScopeConstraint EqualTo(EntityUid entity) => new(ScopeKind.Eq, entity, null, null, default);

    /// <summary><c>in entity</c></summary>
    public static ScopeConstraint InEntity(EntityUid entity) => new(ScopeKind.In, entity, null, null, default);

    /// <summary><c>is type</c></summary>
    public static ScopeConstraint IsType(EntityType type) => new(ScopeKind.Is, null, null, type, default);

    /// <summary><c>is type in entity</c></summary>
    public static ScopeConstraint IsTypeIn(EntityType type, EntityUid entity) => new(ScopeKind.IsIn, entity, null, type, default);

    /// <summary>This constraint with its slot replaced by <paramref name="entity"/>.</summary>
    public ScopeConstraint Fill(EntityUid entity) => new(Kind, entity, null, EntityType, Span);
}

/// <summary>The forms of an action scope constraint.</summary>
public enum ActionScopeKind
{
    /// <summary>No constraint.</summary>
    Any,
    /// <summary><c>action == E</c></summary>
    Eq,
    /// <summary><c>action in E</c></summary>
    In,
    /// <summary><c>action in [E1, E2]</c></summary>
    InList,
}

/// <summary>An action scope constraint.</summary>
public sealed class ActionConstraint
{
    /// <summary>The unconstrained action scope.</summary>
    public static readonly ActionConstraint Any = new(ActionScopeKind.Any, [], default);

    /// <summary>Creates a constraint. <paramref name="entities"/> holds one entity for Eq and In, any number for InList.</summary>
    public ActionConstraint(ActionScopeKind kind, IReadOnlyList<EntityUid> entities, SourceSpan span)
    {
        Kind = kind;
        Entities = entities;
        Span = span;
    }

    /// <summary>The form.</summary>
    public ActionScopeKind Kind { get; }

    /// <summary>The action entities named by the constraint.</summary>
    public IReadOnlyList<EntityUid> Entities { get; }

    /// <summary>The single action entity of Eq and In.</summary>
    public EntityUid? Entity => Kind is ActionScopeKind.Eq or ActionScopeKind.In ? Entities[0] : null;

    /// <summary>Where the constraint came from.</summary>
    public SourceSpan Span { get; }
}
