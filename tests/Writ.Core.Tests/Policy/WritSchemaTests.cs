using Writ.Cedar.Parsing;
using Writ.Cedar.Validation;
using Writ.Core.Policy;

namespace Writ.Core.Tests.Policy;

public sealed class WritSchemaTests
{
    [Fact]
    public void EmbeddedSchema_Parses_AndDeclaresTheAgentDomainActions()
    {
        var schema = WritSchema.Schema;
        var text = WritSchema.Text;
        Assert.NotNull(schema);
        foreach (var action in new[] { "StartTask", "CallTool", "ReadResource", "GetPrompt", "Delegate" })
        {
            Assert.Contains($"action {action} ", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TypicalPolicies_ValidateAgainstTheSchema()
    {
        var policies = PolicyParser.ParsePolicies("""
            permit (principal in Writ::Owner::"alice", action == Writ::Action::"CallTool", resource in Writ::Toolset::"github")
            when { context.target == Writ::Target::"repo:acme/web" && context.sensitivityLevel <= 1 };

            forbid (principal, action == Writ::Action::"CallTool", resource)
            when { context.sensitivityLevel >= 3 || context.risk.score > 80 };

            permit (principal, action == Writ::Action::"CallTool", resource == Writ::Tool::"fs.read_file")
            when { context.call.hasTag("path") && context.call.getTag("path") like "/public/*" };

            permit (principal, action == Writ::Action::"StartTask", resource)
            when { context.duration <= duration("30m") && principal.attestation.method == "registered_key" };

            permit (principal, action == Writ::Action::"Delegate", resource in Writ::Owner::"alice")
            when { context.depth <= 2 && context.task.agent == principal };
            """);
        var result = PolicyValidator.Validate(policies, WritSchema.Schema);
        Assert.True(result.Passed, string.Join("\n", result.Errors));
    }

    [Fact]
    public void PolicyNamingAnUndeclaredAttribute_FailsValidation()
    {
        var policies = PolicyParser.ParsePolicies("""
            permit (principal, action == Writ::Action::"CallTool", resource) when { context.nosuch == 1 };
            """);
        Assert.False(PolicyValidator.Validate(policies, WritSchema.Schema).Passed);
    }
}
