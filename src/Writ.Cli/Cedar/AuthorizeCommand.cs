using System.CommandLine;
using System.Text.Json.Nodes;
using Writ.Cedar.Authorization;
using Writ.Cli.Commands;

namespace Writ.Cli.Cedar;

// `writ cedar authorize`: one decision with the determining and the erroring policies. Exit 0 allow, 2 deny.
internal static class AuthorizeCommand
{
    public static WritCommand Create(CedarIo io)
    {
        var policies = new PolicyInputs();
        var schema = new SchemaInputs(required: false);
        var entities = new EntityInputs();
        var request = new RequestInputs();
        var command = new WritCommand(
            "authorize",
            "Decide one request: prints ALLOW or DENY, the determining policies and the policies that erred. Exit 0 on allow, 2 on deny, 1 when an input is unreadable.",
            "writ cedar authorize --policies policies.cedar --entities entities.json --principal 'User::\"alice\"' --action 'Action::\"view\"' --resource 'Photo::\"vacation.jpg\"'",
            "writ cedar authorize -p policies.cedar -s schema.cedarschema -e entities.json --request-json request.json --json");
        policies.AddTo(command);
        schema.AddTo(command);
        entities.AddTo(command);
        request.AddTo(command);

        // The official CLI prints the determining policies only with -v; writ always does, and takes -v so scripts carry over.
        command.Options.Add(new Option<bool>("--verbose", "-v") { Description = "Accepted for compatibility with the cedar CLI; the determining policies are always printed" });
        io.SetAction(command, invocation =>
        {
            var set = policies.Load(invocation);
            var loadedSchema = schema.Load(invocation);
            var store = entities.Load(invocation, loadedSchema);
            var response = Authorizer.IsAuthorized(request.Load(invocation, loadedSchema), set, store);
            Write(invocation, response);
            return response.IsAllowed ? CedarExitCodes.Ok : CedarExitCodes.Deny;
        });
        return command;
    }

    private static void Write(CedarInvocation invocation, Response response)
    {
        var output = invocation.Output;
        if (output.Json)
        {
            // The shape of Cedar's JSON authorization answer (as cedar-wasm returns it).
            output.WriteJson(new JsonObject
            {
                ["decision"] = response.IsAllowed ? "allow" : "deny",
                ["diagnostics"] = new JsonObject
                {
                    ["reason"] = new JsonArray([.. response.Reasons.Select(r => (JsonNode)r)]),
                    ["errors"] = new JsonArray([.. response.Errors.Select(e => (JsonNode)new JsonObject
                    {
                        ["policyId"] = e.PolicyId,
                        ["error"] = new JsonObject { ["message"] = e.Error.Message, ["kind"] = e.Error.Kind.ToString() },
                    })]),
                },
            });
            return;
        }

        output.WriteLine(response.IsAllowed ? "ALLOW" : "DENY");
        output.WriteLine(response.Reasons.Count == 0
            ? "determined by: no policy applied" + (response.IsAllowed ? string.Empty : " (default deny)")
            : "determined by: " + string.Join(", ", response.Reasons));
        foreach (var error in response.Errors)
        {
            output.WriteLine($"error in {error.PolicyId}: {error.Error.Message}");
        }
    }
}
