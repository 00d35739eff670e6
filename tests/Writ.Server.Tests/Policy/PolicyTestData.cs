namespace Writ.Server.Tests.Policy;

/// <summary>Policy files used by the policy and AuthZEN tests.</summary>
internal static class PolicyTestData
{
    public const string PermitSearch = """
        @id("permit-search")
        permit (principal, action == Writ::Action::"CallTool", resource == Writ::Tool::"github.search_issues");
        """;

    public const string PermitGithub = """
        @id("permit-github")
        permit (principal, action == Writ::Action::"CallTool", resource in Writ::Toolset::"github");
        """;

    public const string ForbidSuspended = """
        @id("forbid-suspended")
        forbid (principal, action, resource) when { principal.status != "active" };
        """;

    /// <summary>Refers to an attribute the Writ schema does not declare: the validator refuses it.</summary>
    public const string Invalid = """
        @id("bad-attribute")
        permit (principal, action == Writ::Action::"CallTool", resource) when { principal.department == "sales" };
        """;

    public static object Files(params (string Name, string Text)[] files) => files.Select(f => new { name = f.Name, text = f.Text }).ToArray();
}
