namespace Writ.Cedar.Schema;

/// <summary>Limits that keep reading a schema bounded on hostile input.</summary>
public sealed class SchemaOptions
{
    /// <summary>The defaults.</summary>
    public static SchemaOptions Default { get; } = new();

    /// <summary>
    /// The most (type, descendant) pairs the closed entity and action hierarchies may hold together. A deep chain of
    /// n types holds about n*n/2 pairs, so this bounds time and memory; beyond it the schema is rejected.
    /// </summary>
    public long MaxHierarchyPairs { get; init; } = 5_000_000;
}
