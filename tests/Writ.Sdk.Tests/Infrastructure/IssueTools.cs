using System.ComponentModel;
using ModelContextProtocol.Server;

namespace Writ.Sdk.Tests.Infrastructure;

/// <summary>The tools of the test MCP server.</summary>
[McpServerToolType]
internal sealed class IssueTools
{
    [McpServerTool(Name = "search_issues")]
    [Description("Searches the issues of a repository.")]
    public static string SearchIssues([Description("owner/name")] string repository, [Description("words to look for")] string query) =>
        $"2 issues in {repository} match '{query}'";
}
