using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Writ.Cedar.Ast;
using Writ.Cedar.Evaluation;
using Writ.Cedar.Json;
using Writ.Cedar.Parsing;
using Writ.Cedar.Values;
using Writ.Cli.Commands;

namespace Writ.Cli.Cedar;

// `writ cedar evaluate`: one expression against a request and entities; prints the value in Cedar syntax.
internal static class EvaluateCommand
{
    public const string ExpressionInput = "<expression>";

    public static WritCommand Create(CedarIo io)
    {
        var expression = new Argument<string>("expression") { Description = "The Cedar expression, e.g. 'principal in Group::\"admins\"'" };
        var schema = new SchemaInputs(required: false);
        var entities = new EntityInputs();
        var request = new RequestInputs();
        var command = new WritCommand(
            "evaluate",
            "Evaluate a Cedar expression against a request and entities; prints the value or the error (exit 1). Without a request, principal, action and resource are Unspecified::\"principal\" and so on.",
            "writ cedar evaluate '[1, 2, 3].contains(2) && ip(\"10.0.0.1\").isLoopback() == false'",
            "writ cedar evaluate 'principal.department' --entities entities.json --principal 'User::\"alice\"' --action 'Action::\"view\"' --resource 'Photo::\"a.jpg\"'");
        command.Arguments.Add(expression);
        schema.AddTo(command);
        entities.AddTo(command);
        request.AddTo(command);
        io.SetAction(command, invocation =>
        {
            var loadedSchema = schema.Load(invocation);
            var req = request.Load(invocation, loadedSchema, allowNone: true);
            var store = entities.Load(invocation, loadedSchema);
            var result = Evaluator.Evaluate(Parse(invocation.Get(expression) ?? string.Empty), req, store);
            return Write(invocation, result);
        });
        return command;
    }

    private static Expr Parse(string text)
    {
        try
        {
            return PolicyParser.ParseExpression(text);
        }
        catch (CedarParseException e)
        {
            throw new CedarInputException(CedarDiagnostic.From(ExpressionInput, e), e);
        }
    }

    // Written directly rather than through JsonNode, whose default depth limit is below what Cedar values may nest.
    private static string ValueDocument(Value value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, MaxDepth = ValueJson.MaxDepth + 8, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("value");
            ValueJson.Write(writer, value);
            writer.WriteString("cedar", value.ToString());
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static int Write(CedarInvocation invocation, EvaluationResult result)
    {
        var output = invocation.Output;
        if (result.Value is { } value)
        {
            if (output.Json)
            {
                output.WriteLine(ValueDocument(value));
            }
            else
            {
                output.WriteLine(value.ToString());
            }

            return CedarExitCodes.Ok;
        }

        var error = result.Error!;
        if (output.Json)
        {
            output.WriteJson(new JsonObject { ["error"] = new JsonObject { ["kind"] = error.Kind.ToString(), ["message"] = error.Message } });
        }
        else
        {
            invocation.Io.WriteError($"error: evaluation failed: {error.Message}");
        }

        return CedarExitCodes.Failure;
    }
}
