namespace Writ.Cedar.Schema;

/// <summary>How a type name written in a schema may be resolved.</summary>
public enum TypeNameKind
{
    /// <summary>A common type or an entity type (every name in the human format; <c>EntityOrCommon</c> in JSON).</summary>
    EntityOrCommon,
    /// <summary>Only an entity type (JSON <c>"type": "Entity"</c>).</summary>
    Entity,
    /// <summary>Only a common type (JSON <c>"type": "&lt;name&gt;"</c>).</summary>
    Common,
}

/// <summary>A primitive type written with JSON's builtin type names.</summary>
public enum PrimitiveKind
{
    /// <summary><c>Boolean</c>.</summary>
    Bool,
    /// <summary><c>Long</c>.</summary>
    Long,
    /// <summary><c>String</c>.</summary>
    String,
}

/// <summary>A type as written in a schema, before names are resolved.</summary>
public abstract class TypeExpression
{
    private protected TypeExpression()
    {
    }

    /// <summary>Annotations attached to the type (JSON common types carry theirs here).</summary>
    public SchemaAnnotations Annotations { get; init; } = [];
}

/// <summary>A name: a common type, entity type, or builtin type such as <c>Long</c> or <c>__cedar::decimal</c>.</summary>
public sealed class NamedTypeExpression : TypeExpression
{
    /// <summary>The name as written, possibly qualified.</summary>
    public required string Name { get; init; }

    /// <summary>What the name may refer to.</summary>
    public TypeNameKind Kind { get; init; } = TypeNameKind.EntityOrCommon;

    /// <summary>Where the name is written in the human-format text, when read from it.</summary>
    internal SourcePosition? Position { get; init; }
}

/// <summary>A JSON builtin primitive (<c>"type": "Long"</c>).</summary>
public sealed class PrimitiveTypeExpression : TypeExpression
{
    /// <summary>Which primitive.</summary>
    public required PrimitiveKind Primitive { get; init; }
}

/// <summary>A JSON extension type (<c>"type": "Extension", "name": "decimal"</c>).</summary>
public sealed class ExtensionTypeExpression : TypeExpression
{
    /// <summary>The extension type name.</summary>
    public required string Name { get; init; }
}

/// <summary><c>Set&lt;T&gt;</c>.</summary>
public sealed class SetTypeExpression : TypeExpression
{
    /// <summary>The element type.</summary>
    public required TypeExpression Element { get; init; }
}

/// <summary>A record type with its attributes in declaration order.</summary>
public sealed class RecordTypeExpression : TypeExpression
{
    /// <summary>The attributes.</summary>
    public List<AttributeDeclaration> Attributes { get; init; } = [];

    /// <summary>JSON <c>additionalAttributes</c>; Cedar 4 rejects <c>true</c>, kept so the error can be reported.</summary>
    public bool AdditionalAttributes { get; init; }
}

/// <summary>One attribute of a record type.</summary>
public sealed class AttributeDeclaration
{
    /// <summary>The attribute name.</summary>
    public required string Name { get; init; }

    /// <summary>The attribute type.</summary>
    public required TypeExpression Type { get; init; }

    /// <summary>Whether the attribute must be present (<c>?</c> marks optional ones).</summary>
    public bool Required { get; init; } = true;

    /// <summary>Annotations on the attribute.</summary>
    public SchemaAnnotations Annotations { get; init; } = [];
}
