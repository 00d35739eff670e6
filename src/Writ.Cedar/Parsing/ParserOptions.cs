namespace Writ.Cedar.Parsing;

/// <summary>Limits that keep parsing bounded in time and memory on hostile input.</summary>
public sealed record ParserOptions
{
    /// <summary>The defaults: 4 Mi characters of text, nesting depth 200.</summary>
    public static ParserOptions Default { get; } = new();

    /// <summary>The longest accepted source text, in characters.</summary>
    public int MaxSourceLength { get; init; } = 4 * 1024 * 1024;

    /// <summary>How deeply expressions may nest (parentheses, operators, sets, records, calls).</summary>
    public int MaxNestingDepth { get; init; } = 200;

    /// <summary>The most policies one text may hold.</summary>
    public int MaxPolicies { get; init; } = 100_000;
}
