using System.Text.Json.Nodes;
using Writ.Cli.Commands;
using Writ.Core.Policy;

namespace Writ.Cli.Cedar;

// `writ cedar schema`: prints the Cedar schema of Writ's agent domain, which every policy set is validated against.
internal static class SchemaCommand
{
    public static WritCommand Create(CedarIo io)
    {
        var command = new WritCommand(
            "schema",
            "Print the Cedar schema of Writ's agent domain (owners, agents, tasks, tools, targets, users; StartTask, CallTool, ReadResource, GetPrompt, Delegate). Policy sets are validated against it; --json prints it in Cedar's JSON schema format.",
            "writ cedar schema > writ.cedarschema",
            "writ cedar validate --policies policies.cedar --schema <(writ cedar schema)");
        io.SetAction(command, invocation =>
        {
            if (invocation.Output.Json)
            {
                invocation.Output.WriteJson(JsonNode.Parse(WritSchema.Schema.ToJson()));
            }
            else
            {
                invocation.Output.WriteLine(WritSchema.Text.TrimEnd());
            }

            return CedarExitCodes.Ok;
        });
        return command;
    }
}
