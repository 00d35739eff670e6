using System.CommandLine;
using Writ.Cli.Api;
using Writ.Cli.Output;

namespace Writ.Cli.Commands;

// `writ policy pdp-client add|list|remove`: which clients may call the AuthZEN decision endpoints.
internal static class PolicyPdpClientCommands
{
    private const string Noun = "policy pdp-client";

    private static readonly Column[] Columns =
    [
        Column.Of("CLIENT", "client"),
        Column.Time("GRANTED", "grantedAt"),
        Column.Of("BY", "grantedBy"),
    ];

    public static Command Create(AdminCommandRunner runner)
    {
        var group = new WritCommand("pdp-client", "Clients allowed to call the AuthZEN decision API (/access/v1/… and /stores/<name>/access/v1/…) with their client_secret_basic credentials.",
            "writ policy pdp-client add pep",
            "writ policy pdp-client list");
        group.Subcommands.Add(Add(runner));
        group.Subcommands.Add(List(runner));
        group.Subcommands.Add(Remove(runner));
        return group;
    }

    private static WritCommand Add(AdminCommandRunner runner)
    {
        var client = new Argument<string>("client") { Description = "Name of an existing client (writ client add)" };
        var verb = new WritCommand("add", "Allow a client to call the decision API.", "writ policy pdp-client add pep") { client };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var grant = await call.Api.PostAsync("pdp-clients", new System.Text.Json.Nodes.JsonObject { ["client"] = call.Get(client) }, ct);
            call.Show(grant, g => call.Output.WriteLine($"Client {Cells.Text(g["client"])} may call the decision API."));
        });
        return verb;
    }

    private static WritCommand List(AdminCommandRunner runner)
    {
        var verb = new WritCommand("list", "List the clients allowed to call the decision API.", "writ policy pdp-client list", "writ policy pdp-client list --json");
        runner.SetAction(verb, Noun, async (call, ct) =>
            call.ShowList(await call.Api.GetAsync("pdp-clients", ct), Columns, "No PDP clients; only admin tokens may call the decision API."));
        return verb;
    }

    private static WritCommand Remove(AdminCommandRunner runner)
    {
        var client = new Argument<string>("client") { Description = "Name of the client" };
        var verb = new WritCommand("remove", "Withdraw a client's permission to call the decision API (within a second on every server).", "writ policy pdp-client remove pep") { client };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var name = call.Get(client);
            await call.Api.DeleteAsync("pdp-clients/" + AdminApiClient.Segment(name), ct);
            call.ShowDone(new System.Text.Json.Nodes.JsonObject { ["client"] = name, ["removed"] = true }, $"Client {name} may no longer call the decision API.");
        });
        return verb;
    }
}
