namespace Writ.Core.Tasks;

/// <summary>One declared (or granted) tool and the targets it may act on.</summary>
/// <param name="Tool">The tool, <c>&lt;toolset&gt;.&lt;tool&gt;</c>.</param>
/// <param name="Targets">The targets, in declaration order, without duplicates.</param>
public sealed record ToolGrant(string Tool, IReadOnlyList<string> Targets)
{
    /// <summary>The toolset: the part of the tool name before the first dot.</summary>
    public string Toolset => Tool[..Tool.IndexOf('.', StringComparison.Ordinal)];

    /// <inheritdoc/>
    public bool Equals(ToolGrant? other) =>
        other is not null && string.Equals(Tool, other.Tool, StringComparison.Ordinal) && Targets.SequenceEqual(other.Targets, StringComparer.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Tool);
}
