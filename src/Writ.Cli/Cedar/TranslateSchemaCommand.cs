using System.CommandLine;
using System.Text.Json;
using Writ.Cedar.Schema;
using Writ.Cli.Commands;

namespace Writ.Cli.Cedar;

// `writ cedar translate-schema`: a schema between the .cedarschema text and the JSON schema format.
internal static class TranslateSchemaCommand
{
    public static WritCommand Create(CedarIo io)
    {
        var direction = new Option<string>("--direction")
        {
            Description = "Which way to translate",
            HelpName = $"{TranslatePolicyCommand.CedarToJson}|{TranslatePolicyCommand.JsonToCedar}",
            Required = true,
        };
        direction.AcceptOnlyFromAmong(TranslatePolicyCommand.CedarToJson, TranslatePolicyCommand.JsonToCedar);
        var schema = new Option<string?>("--schema", "-s")
        {
            Description = "Schema file to translate; standard input when absent or -",
            HelpName = "file",
        };
        var command = new WritCommand(
            "translate-schema",
            "Translate a schema between Cedar schema text and the JSON schema format (comments are not kept).",
            "writ cedar translate-schema --direction cedar-to-json --schema schema.cedarschema > schema.json",
            "writ cedar translate-schema --direction json-to-cedar --schema schema.json");
        command.Options.Add(direction);
        command.Options.Add(schema);
        io.SetAction(command, invocation =>
        {
            var source = invocation.Io.Read(invocation.Get(schema), "schema");
            var toJson = invocation.Get(direction) == TranslatePolicyCommand.CedarToJson;
            string translated;
            try
            {
                translated = toJson ? SchemaFragment.ParseCedar(source.Text).ToJson() : SchemaFragment.ParseJson(source.Text).ToCedarText();
            }
            catch (Exception e) when (e is FormatException or JsonException or ArgumentException or InvalidOperationException)
            {
                throw new CedarInputException(CedarDiagnostic.From(source.Name, e), e);
            }

            invocation.Output.WriteLine(translated.TrimEnd('\n'));
            return CedarExitCodes.Ok;
        });
        return command;
    }
}
