using Writ.Core.Policy;

namespace Writ.Cli.Commands;

// The *.cedar files of a policy directory, in name order, as one policy set.
internal static class PolicyDirectory
{
    public static IReadOnlyList<PolicyFile> Read(string workingDirectory, string directory)
    {
        var full = Path.GetFullPath(Path.Combine(workingDirectory, directory));
        if (!Directory.Exists(full))
        {
            throw new CliException($"{directory}: no such directory; give the directory that holds the *.cedar files of the set", ExitCodes.Usage);
        }

        var files = Directory.GetFiles(full, "*.cedar", SearchOption.TopDirectoryOnly)
            .Order(StringComparer.Ordinal)
            .Select(path => new PolicyFile(Path.GetFileName(path), File.ReadAllText(path)))
            .ToList();
        if (files.Count == 0)
        {
            throw new CliException($"{directory} holds no *.cedar files", ExitCodes.Usage);
        }

        return files;
    }

    // Each issue on its own line, as compilers print them: file:line:column: kind in policy: message.
    public static void WriteIssues(Output.CommandOutput output, string directory, string severity, IEnumerable<PolicyIssue> issues)
    {
        foreach (var issue in issues)
        {
            var where = Path.Combine(directory, issue.File) + (issue.Line is { } line ? $":{line}:{issue.Column}" : string.Empty);
            output.WriteLine(issue.PolicyId is null ? $"{where}: {severity}: {issue.Kind}: {issue.Message}" : $"{where}: {severity} in {issue.PolicyId} ({issue.Kind}): {issue.Message}");
        }
    }

    public static System.Text.Json.Nodes.JsonObject IssueJson(PolicyIssue issue) => new()
    {
        ["policyId"] = issue.PolicyId,
        ["file"] = issue.File,
        ["line"] = issue.Line,
        ["column"] = issue.Column,
        ["kind"] = issue.Kind,
        ["message"] = issue.Message,
    };
}
