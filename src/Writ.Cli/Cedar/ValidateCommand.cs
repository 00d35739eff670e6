using System.CommandLine;
using System.Text.Json.Nodes;
using Writ.Cedar.Validation;
using Writ.Cli.Commands;

namespace Writ.Cli.Cedar;

// `writ cedar validate`: strict validation of policies against a schema, as cedar 4.13 does it.
// Exit 0 when it passes, 3 on errors (or on warnings with --deny-warnings), 1 when an input is unreadable.
internal static class ValidateCommand
{
    public static WritCommand Create(CedarIo io)
    {
        var policies = new PolicyInputs();
        var schema = new SchemaInputs(required: true);
        var denyWarnings = new Option<bool>("--deny-warnings") { Description = "Fail (exit 3) on warnings too" };
        var command = new WritCommand(
            "validate",
            "Validate policies against a schema (strict mode); prints errors and warnings with policy ids and positions. Exit 0 when valid, 3 when not.",
            "writ cedar validate --policies policies.cedar --schema schema.cedarschema",
            "writ cedar validate -p policies.json --policy-format json -s schema.json --deny-warnings --json");
        policies.AddTo(command);
        schema.AddTo(command);
        command.Options.Add(denyWarnings);
        io.SetAction(command, invocation =>
        {
            var set = policies.Load(invocation);
            var loadedSchema = schema.Load(invocation)!;
            var result = PolicyValidator.Validate(set, loadedSchema);
            var passed = result.Passed && !(invocation.Get(denyWarnings) && result.Warnings.Count > 0);
            Write(invocation, invocation.Get(policies.Policies) ?? CedarIo.StdinName, result, passed);
            return passed ? CedarExitCodes.Ok : CedarExitCodes.ValidationFailed;
        });
        return command;
    }

    private static void Write(CedarInvocation invocation, string input, ValidationResult result, bool passed)
    {
        var output = invocation.Output;
        if (output.Json)
        {
            output.WriteJson(new JsonObject
            {
                ["passed"] = passed,
                ["errors"] = new JsonArray([.. result.Errors.Select(Json)]),
                ["warnings"] = new JsonArray([.. result.Warnings.Select(Json)]),
            });
            return;
        }

        foreach (var issue in result.Errors)
        {
            output.WriteLine(Text(input, "error", issue));
        }

        foreach (var issue in result.Warnings)
        {
            output.WriteLine(Text(input, "warning", issue));
        }

        var counts = $"{Count(result.Errors.Count, "error")}, {Count(result.Warnings.Count, "warning")}";
        output.WriteLine(passed ? $"validation passed ({counts})" : $"validation failed ({counts})");
    }

    private static string Text(string input, string severity, ValidationIssue issue) =>
        (issue.Span.IsKnown ? $"{input}:{issue.Span.Line}:{issue.Span.Column}" : input) + $": {severity} in {issue.PolicyId} ({Kebab(issue.Kind)}): {issue.Message}";

    private static JsonNode Json(ValidationIssue issue)
    {
        var node = new JsonObject { ["policyId"] = issue.PolicyId, ["kind"] = Kebab(issue.Kind), ["message"] = issue.Message };
        if (issue.Span.IsKnown)
        {
            node["line"] = issue.Span.Line;
            node["column"] = issue.Span.Column;
        }

        return node;
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    // UnexpectedType -> unexpected-type: the spelling people search for in Cedar's documentation.
    private static string Kebab(ValidationIssueKind kind)
    {
        var name = kind.ToString();
        var text = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('-');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }
}
