namespace Writ.Core.Policy;

/// <summary>One problem with a policy file: a parse error or a schema validation error or warning.</summary>
/// <param name="PolicyId">The policy it concerns; null for a file that could not be parsed at all.</param>
/// <param name="File">The file it is in.</param>
/// <param name="Line">1-based line in the file, when known.</param>
/// <param name="Column">1-based column in the file, when known.</param>
/// <param name="Kind">A stable kind: <c>parse-error</c>, <c>duplicate-id</c>, or the validator's kind (<c>unexpected-type</c>, …).</param>
/// <param name="Message">What is wrong.</param>
public sealed record PolicyIssue(string? PolicyId, string File, int? Line, int? Column, string Kind, string Message)
{
    /// <inheritdoc/>
    public override string ToString()
    {
        var where = Line is { } line ? $"{File}:{line}:{Column}" : File;
        return PolicyId is null ? $"{where}: {Kind}: {Message}" : $"{where}: {Kind} in {PolicyId}: {Message}";
    }
}
