namespace Writ.Sdk;

/// <summary>One tool (<c>toolset.tool</c>) a task declares, with the targets it will use it on.</summary>
/// <param name="Tool">The tool, e.g. <c>github.search_issues</c>.</param>
/// <param name="Targets">The targets, e.g. <c>repo:acme/web</c>.</param>
public sealed record ToolGrant(string Tool, IReadOnlyList<string> Targets)
{
    /// <summary>A tool on the given targets.</summary>
    public static ToolGrant Of(string tool, params string[] targets) => new(tool, targets);
}
