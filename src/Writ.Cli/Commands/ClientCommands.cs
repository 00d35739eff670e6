using System.CommandLine;
using System.Text.Json.Nodes;
using Writ.Cli.Api;
using Writ.Cli.Output;

namespace Writ.Cli.Commands;

// `writ client add|list|remove`: named credentials of the machines that call Writ (gateways, PDP callers, introspection callers).
internal static class ClientCommands
{
    private const string Noun = "client";

    private static readonly string[] AuthMethods = ["client_secret", "private_key_jwt"];

    private static readonly Column[] Columns =
    [
        Column.Of("NAME", "name"),
        Column.Of("OWNER", "owner"),
        Column.Of("AUTH METHOD", "authMethod"),
        new("STATE", c => c["disabled"] is JsonValue v && v.TryGetValue<bool>(out var disabled) && disabled ? "disabled" : "enabled"),
        Column.Time("CREATED", "createdAt"),
    ];

    public static Command Create(AdminCommandRunner runner)
    {
        var noun = new WritCommand(Noun, "Clients: credentials of machines that call Writ (gateways, decision callers, introspection callers).",
            "writ client add gateway-eu",
            "writ client add gateway-us --auth-method private_key_jwt --jwks-file gateway-us.jwks.json",
            "writ client list");
        runner.AddConnectionOptions(noun);
        noun.Subcommands.Add(Add(runner));
        noun.Subcommands.Add(List(runner));
        noun.Subcommands.Add(Remove(runner));
        return noun;
    }

    private static WritCommand Add(AdminCommandRunner runner)
    {
        var name = new Argument<string>("name") { Description = "Name of the client (its client_id)" };
        var owner = new Option<string?>("--owner") { Description = "Owner accountable for the client" };
        var authMethod = new Option<string>("--auth-method")
        {
            Description = "How the client authenticates",
            DefaultValueFactory = _ => "client_secret",
            HelpName = "method",
        };
        authMethod.AcceptOnlyFromAmong(AuthMethods);
        var jwksFile = new Option<string?>("--jwks-file") { Description = "JWKS file with the client's public keys (for private_key_jwt)", HelpName = "file" };
        var verb = new WritCommand("add", "Add a client; a generated client secret is shown only once.",
            "writ client add gateway-eu --owner team-platform",
            "writ client add pdp-caller --auth-method private_key_jwt --jwks-file pdp-caller.jwks.json")
        {
            name,
            owner,
            authMethod,
            jwksFile,
        };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var method = call.Get(authMethod);
            var hasJwks = call.Get(jwksFile) is not null;
            if (method == "private_key_jwt" && !hasJwks)
            {
                throw new CliException("--auth-method private_key_jwt needs --jwks-file with the client's public keys.", ExitCodes.Usage);
            }

            if (method == "client_secret" && hasJwks)
            {
                throw new CliException("--jwks-file is only for --auth-method private_key_jwt.", ExitCodes.Usage);
            }

            var body = new JsonObject { ["name"] = call.Get(name), ["authMethod"] = method };
            if (call.Get(owner) is { } o)
            {
                body["owner"] = o;
            }

            if (call.Get(jwksFile) is { } file)
            {
                body["jwks"] = InputParsing.JwksFile(file, "--jwks-file");
            }

            var created = await call.Api.PostAsync("clients", body, ct);
            call.Show(created, c =>
            {
                call.Output.WriteLine($"Client {Cells.Text(c["name"])} added ({Cells.Text(c["authMethod"])}).");
                if (c["clientSecret"] is { } secret)
                {
                    call.Output.WriteLine("Its client secret, shown only now:");
                    call.Output.WriteLine();
                    call.Output.WriteLine("  " + Cells.Text(secret));
                    call.Output.WriteLine();
                }
            });
        });
        return verb;
    }

    private static WritCommand List(AdminCommandRunner runner)
    {
        var verb = new WritCommand("list", "List clients.", "writ client list");
        runner.SetAction(verb, Noun, async (call, ct) =>
            call.ShowList(await call.Api.GetAsync("clients", ct), Columns, "No clients. Add one with `writ client add <name>`."));
        return verb;
    }

    private static WritCommand Remove(AdminCommandRunner runner)
    {
        var name = new Argument<string>("name") { Description = "Name of the client" };
        var verb = new WritCommand("remove", "Remove a client; its credentials stop working.", "writ client remove gateway-eu") { name };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var clientName = call.Get(name);
            await call.Api.DeleteAsync("clients/" + AdminApiClient.Segment(clientName), ct);
            call.ShowDone(new JsonObject { ["name"] = clientName, ["removed"] = true }, $"Client {clientName} removed.");
        });
        return verb;
    }
}
