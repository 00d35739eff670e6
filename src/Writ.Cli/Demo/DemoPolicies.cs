namespace Writ.Cli.Demo;

// The Cedar policies the demo adds to the active policy set, for its own owner only, so that whatever
// the server already allows or forbids for anyone else stays as it was.
internal static class DemoPolicies
{
    public const string FileName = "writ-demo.cedar";

    // The forbid policy that judges arguments: no .env file through any file tool, declared or not.
    public const string SecretFilesPolicy = "demo-no-secret-files";

    public static string Text(string owner, string databaseToolset) => $$"""
        // Added by `writ demo` for its owner {{owner}}; remove this file and apply the set again to take them out.
        @id("demo-start-file-tasks")
        permit (principal in Writ::Owner::"{{owner}}", action == Writ::Action::"StartTask", resource in Writ::Toolset::"files");

        @id("demo-start-database-tasks")
        permit (principal in Writ::Owner::"{{owner}}", action == Writ::Action::"StartTask", resource in Writ::Toolset::"{{databaseToolset}}");

        @id("demo-call-file-tools")
        permit (principal in Writ::Owner::"{{owner}}", action == Writ::Action::"CallTool", resource in Writ::Toolset::"files");

        @id("{{SecretFilesPolicy}}")
        forbid (principal in Writ::Owner::"{{owner}}", action == Writ::Action::"CallTool", resource in Writ::Toolset::"files")
        when { context.call.hasTag("path") && context.call.getTag("path") like "*.env" };

        @id("demo-never-restricted-data")
        forbid (principal in Writ::Owner::"{{owner}}", action == Writ::Action::"CallTool", resource) when { context.sensitivityLevel >= 3 };

        @id("demo-delegate-within-owner")
        permit (principal in Writ::Owner::"{{owner}}", action == Writ::Action::"Delegate", resource in Writ::Owner::"{{owner}}");

        """;
}
