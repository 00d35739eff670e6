using System.CommandLine;
using System.Text.Json.Nodes;
using Writ.Cedar.Parsing;
using Writ.Cedar.Schema;
using Writ.Cli.Commands;

namespace Writ.Cli.Cedar;

// `writ cedar check-parse`: checks that whatever is given (policies, an expression, a schema, entities) parses,
// and prints each parse error with its line, column and a caret excerpt. Exit 0 when all parse, 1 otherwise.
internal static class CheckParseCommand
{
    public static WritCommand Create(CedarIo io)
    {
        var policies = new PolicyInputs();
        var expression = new Option<string?>("--expression", "-x") { Description = "A Cedar expression to parse", HelpName = "expr" };
        var schema = new SchemaInputs(required: false);
        var entities = new EntityInputs();
        var command = new WritCommand(
            "check-parse",
            "Check that policies, an expression, a schema and/or entities parse; with none of them, policies are read from standard input. Exit 0 when everything parses, 1 otherwise.",
            "writ cedar check-parse --policies policies.cedar",
            "writ cedar check-parse --schema schema.cedarschema --entities entities.json");
        policies.AddTo(command);
        command.Options.Add(expression);
        schema.AddTo(command);
        entities.AddTo(command);
        io.SetAction(command, invocation =>
        {
            var results = new List<(string Kind, string Input, string? Summary, CedarDiagnostic? Problem)>();
            var nothingGiven = !policies.Given(invocation) && invocation.Get(expression) is null && invocation.Get(schema.Schema) is null && invocation.Get(entities.Entities) is null;
            if (policies.Given(invocation) || nothingGiven)
            {
                results.Add(Check("policies", invocation.Get(policies.Policies) ?? CedarIo.StdinName, () =>
                {
                    var set = policies.Load(invocation);
                    return $"{Count(set.Policies.Count, "policy", "policies")}, {Count(set.Templates.Count, "template", "templates")}";
                }));
            }

            if (invocation.Get(expression) is { } text)
            {
                results.Add(Check("expression", EvaluateCommand.ExpressionInput, () =>
                {
                    try
                    {
                        PolicyParser.ParseExpression(text);
                        return "parses";
                    }
                    catch (CedarParseException e)
                    {
                        throw new CedarInputException(CedarDiagnostic.From(EvaluateCommand.ExpressionInput, e), e);
                    }
                }));
            }

            CedarSchema? loadedSchema = null;
            if (invocation.Get(schema.Schema) is { } schemaPath)
            {
                results.Add(Check("schema", schemaPath, () =>
                {
                    loadedSchema = schema.Load(invocation)!;
                    return $"{Count(loadedSchema.EntityTypes.Count, "entity type", "entity types")}, {Count(loadedSchema.Actions.Count, "action", "actions")}";
                }));
            }

            if (invocation.Get(entities.Entities) is { } entitiesPath)
            {
                // Entities are read against the schema when it parsed, as authorize would read them.
                results.Add(Check("entities", entitiesPath, () => Count(entities.Load(invocation, loadedSchema).Count, "entity", "entities")));
            }

            Write(invocation.Output, results);
            return results.All(r => r.Problem is null) ? CedarExitCodes.Ok : CedarExitCodes.Failure;
        });
        return command;
    }

    private static (string Kind, string Input, string? Summary, CedarDiagnostic? Problem) Check(string kind, string input, Func<string> check)
    {
        try
        {
            return (kind, input, check(), null);
        }
        catch (CedarInputException e)
        {
            return (kind, input, null, e.Diagnostic ?? new CedarDiagnostic(input, e.Message));
        }
    }

    private static void Write(Output.CommandOutput output, List<(string Kind, string Input, string? Summary, CedarDiagnostic? Problem)> results)
    {
        if (output.Json)
        {
            output.WriteJson(new JsonObject
            {
                ["ok"] = results.All(r => r.Problem is null),
                ["inputs"] = new JsonArray([.. results.Select(r => (JsonNode)new JsonObject
                {
                    ["kind"] = r.Kind,
                    ["input"] = r.Input,
                    ["ok"] = r.Problem is null,
                    ["error"] = r.Problem?.ToJson(),
                })]),
            });
            return;
        }

        foreach (var (kind, input, summary, problem) in results)
        {
            output.WriteLine(problem is null ? $"ok: {kind} {input}: {summary}" : $"error: {kind}: {problem.ToText()}");
        }
    }

    private static string Count(int n, string one, string many) => n == 1 ? $"1 {one}" : $"{n} {many}";
}
