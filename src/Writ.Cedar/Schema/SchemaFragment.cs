namespace Writ.Cedar.Schema;

/// <summary>
/// A schema as written, in either format, before names are resolved: namespaces with their common types,
/// entity types and actions in declaration order. Translating between the two formats goes through this model.
/// </summary>
public sealed class SchemaFragment
{
    /// <summary>The namespaces in declaration order. The empty namespace has the name <c>""</c>.</summary>
    public List<NamespaceDeclaration> Namespaces { get; } = [];

    /// <summary>The human-format text this was read from, so later errors can point into it.</summary>
    internal string? Source { get; set; }

    /// <summary>Reads the human <c>.cedarschema</c> format without resolving names.</summary>
    /// <exception cref="SchemaParseException">The text is malformed; the error carries line and column.</exception>
    public static SchemaFragment ParseCedar(string text) => CedarSchemaParser.Parse(text);

    /// <summary>Reads the JSON schema format without resolving names.</summary>
    /// <exception cref="SchemaParseException">The JSON is malformed or not a schema.</exception>
    public static SchemaFragment ParseJson(string json) => JsonSchemaReader.Read(json);

    /// <summary>Writes the human format.</summary>
    public string ToCedarText() => CedarSchemaWriter.Write(this);

    /// <summary>Writes the JSON format, indented.</summary>
    public string ToJson() => JsonSchemaWriter.Write(this);
}

/// <summary>Annotations on a declaration, in order: key and value (empty string when written without one).</summary>
public sealed class SchemaAnnotations : List<KeyValuePair<string, string>>
{
}

/// <summary>One namespace of a schema.</summary>
public sealed class NamespaceDeclaration
{
    /// <summary>The namespace path such as <c>Acme::Docs</c>; empty for the empty namespace.</summary>
    public required string Name { get; init; }

    /// <summary>Annotations on the namespace.</summary>
    public SchemaAnnotations Annotations { get; init; } = [];

    /// <summary>Common type declarations (<c>type X = ...;</c>).</summary>
    public List<CommonTypeDeclaration> CommonTypes { get; } = [];

    /// <summary>Entity type declarations.</summary>
    public List<EntityTypeDeclaration> EntityTypes { get; } = [];

    /// <summary>Action declarations.</summary>
    public List<ActionDeclaration> Actions { get; } = [];
}

/// <summary>A common type: a name for a type.</summary>
public sealed class CommonTypeDeclaration
{
    /// <summary>Where the declaration starts in the human-format text, when read from it.</summary>
    internal SourcePosition? Position { get; init; }

    /// <summary>The unqualified name.</summary>
    public required string Name { get; init; }

    /// <summary>The type it names.</summary>
    public required TypeExpression Type { get; init; }

    /// <summary>Annotations on the declaration.</summary>
    public SchemaAnnotations Annotations { get; init; } = [];
}

/// <summary>An entity type: its parents' types and either a shape (attributes and tags) or an enumeration of ids.</summary>
public sealed class EntityTypeDeclaration
{
    /// <summary>Where the declaration starts in the human-format text, when read from it.</summary>
    internal SourcePosition? Position { get; init; }

    /// <summary>The unqualified name.</summary>
    public required string Name { get; init; }

    /// <summary>The types of entities this type's entities may be members of, as written.</summary>
    public List<string> MemberOfTypes { get; init; } = [];

    /// <summary>The attributes: a record type, or a reference to a common type that is a record. Null means no attributes.</summary>
    public TypeExpression? Shape { get; init; }

    /// <summary>The type of the entity's tags; null when it has none.</summary>
    public TypeExpression? Tags { get; init; }

    /// <summary>For an enumerated entity type, its ids; otherwise null.</summary>
    public List<string>? Enum { get; init; }

    /// <summary>Annotations on the declaration.</summary>
    public SchemaAnnotations Annotations { get; init; } = [];
}

/// <summary>A reference to an action: an id and optionally its action type (such as <c>NS::Action</c>).</summary>
/// <param name="Type">The action type as written; null means the declaring namespace's <c>Action</c>.</param>
/// <param name="Id">The action id.</param>
public sealed record ActionReference(string? Type, string Id);

/// <summary>An action: the groups it belongs to and what it applies to.</summary>
public sealed class ActionDeclaration
{
    /// <summary>Where the declaration starts in the human-format text, when read from it.</summary>
    internal SourcePosition? Position { get; init; }

    /// <summary>The action id.</summary>
    public required string Name { get; init; }

    /// <summary>The action groups it is a member of.</summary>
    public List<ActionReference> MemberOf { get; init; } = [];

    /// <summary>Principal types, resource types and context; null when the action applies to nothing.</summary>
    public AppliesTo? AppliesTo { get; init; }

    /// <summary>Annotations on the declaration.</summary>
    public SchemaAnnotations Annotations { get; init; } = [];
}

/// <summary>The request shapes an action applies to.</summary>
public sealed class AppliesTo
{
    /// <summary>Principal entity types as written.</summary>
    public List<string> PrincipalTypes { get; init; } = [];

    /// <summary>Resource entity types as written.</summary>
    public List<string> ResourceTypes { get; init; } = [];

    /// <summary>The context type: a record, or a reference to a common type that is a record. Null means empty.</summary>
    public TypeExpression? Context { get; init; }
}

/// <summary>A 1-based line and column in schema text.</summary>
internal readonly record struct SourcePosition(int Line, int Column);
