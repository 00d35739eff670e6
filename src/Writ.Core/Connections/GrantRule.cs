namespace Writ.Core.Connections;

/// <summary>
/// One line of a PostgreSQL grant template: the privileges a dynamic role gets on tables of one
/// schema. <c>*</c> as the only table means every table in the schema.
/// </summary>
/// <param name="Schema">A schema name (lowercase unquoted identifier).</param>
/// <param name="Tables">Table names (lowercase unquoted identifiers), or <c>["*"]</c>.</param>
/// <param name="Privileges">Table privileges: SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER.</param>
public sealed record GrantRule(string Schema, IReadOnlyList<string> Tables, IReadOnlyList<string> Privileges)
{
    /// <summary>The marker for "every table in the schema".</summary>
    public const string AllTables = "*";

    /// <summary>True when the rule covers every table in its schema.</summary>
    public bool IsAllTables => Tables.Count == 1 && Tables[0] == AllTables;

    /// <inheritdoc />
    public bool Equals(GrantRule? other) =>
        other is not null && Schema == other.Schema && Tables.SequenceEqual(other.Tables) && Privileges.SequenceEqual(other.Privileges);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Schema, Tables.Count, Privileges.Count);
}
