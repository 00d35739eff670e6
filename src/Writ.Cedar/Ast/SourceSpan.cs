namespace Writ.Cedar.Ast;

/// <summary>A region of policy source: character offsets and the 1-based line and column where it starts.</summary>
/// <param name="Start">Offset of the first character.</param>
/// <param name="End">Offset just past the last character.</param>
/// <param name="Line">1-based line of <paramref name="Start"/>.</param>
/// <param name="Column">1-based column of <paramref name="Start"/>.</param>
public readonly record struct SourceSpan(int Start, int End, int Line, int Column)
{
    /// <summary>No known location (nodes built in code or read from JSON).</summary>
    public static SourceSpan None => default;

    /// <summary>Whether the span points into real source.</summary>
    public bool IsKnown => Line > 0;

    /// <summary>A span covering this one and <paramref name="other"/>.</summary>
    public SourceSpan To(SourceSpan other) => IsKnown && other.IsKnown ? new SourceSpan(Start, Math.Max(End, other.End), Line, Column) : this;

    /// <inheritdoc />
    public override string ToString() => IsKnown ? $"{Line}:{Column}" : "?";
}
