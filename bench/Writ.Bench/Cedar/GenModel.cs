namespace Writ.Bench.Cedar;

/// <summary>An entity reference in a generated workload.</summary>
internal sealed record GenUid(string Type, string Id)
{
    public override string ToString() => $"{Type}::\"{Id}\"";
}

/// <summary>An extension value written as <c>{"__extn": {"fn", "arg"}}</c>.</summary>
internal sealed record GenExtension(string Function, string Argument);

/// <summary>
/// A generated entity. Attribute values are bool, long, string, <see cref="GenUid"/>, <see cref="GenExtension"/>,
/// <c>List&lt;object&gt;</c> (a set) or <c>SortedDictionary&lt;string, object&gt;</c> (a record).
/// </summary>
internal sealed class GenEntity(GenUid uid)
{
    public GenUid Uid { get; } = uid;

    public SortedDictionary<string, object> Attrs { get; } = new(StringComparer.Ordinal);

    public List<GenUid> Parents { get; } = [];
}

/// <summary>A generated request; <see cref="Slice"/> holds the entities relevant to it, in a stable order.</summary>
internal sealed record GenRequest(GenUid Principal, GenUid Action, GenUid Resource, SortedDictionary<string, object> Context)
{
    public List<GenEntity> Slice { get; init; } = [];
}
