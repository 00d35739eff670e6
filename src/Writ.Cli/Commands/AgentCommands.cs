using System.CommandLine;
using System.Text.Json.Nodes;
using Writ.Cli.Api;
using Writ.Cli.Output;

namespace Writ.Cli.Commands;

// `writ agent register|list|show|suspend|resume|retire`: registered non-human identities.
internal static class AgentCommands
{
    private const string Noun = "agent";

    public static readonly string[] AttestationMethods = ["join_token", "registered_key", "external_issuer"];

    private static readonly Column[] Columns =
    [
        Column.Of("NAME", "name"),
        Column.Of("OWNER", "owner"),
        Column.Of("STATUS", "status"),
        Column.Of("SPIFFE ID", "spiffeId"),
        Column.Wrapping("ATTESTATION", "attestationMethods"),
        Column.Time("CREATED", "createdAt"),
    ];

    public static Command Create(AdminCommandRunner runner)
    {
        var noun = new WritCommand(Noun, "Agents: registered non-human identities (spiffe://<trust domain>/agent/<name>).",
            "writ agent register research --owner alice",
            "writ agent list --owner alice",
            "writ agent suspend research");
        runner.AddConnectionOptions(noun);
        noun.Subcommands.Add(Register(runner));
        noun.Subcommands.Add(List(runner));
        noun.Subcommands.Add(Show(runner));
        noun.Subcommands.Add(ChangeStatus(runner, "suspend", "Suspend an agent: it gets no new identity tokens until resumed."));
        noun.Subcommands.Add(ChangeStatus(runner, "resume", "Resume a suspended agent."));
        noun.Subcommands.Add(ChangeStatus(runner, "retire", "Retire an agent for good: it never gets identity tokens again."));
        return noun;
    }

    private static WritCommand Register(AdminCommandRunner runner)
    {
        var name = new Argument<string>("name") { Description = "Name of the agent; its SPIFFE ID becomes spiffe://<trust domain>/agent/<name>" };
        var owner = new Option<string>("--owner") { Description = "Owner accountable for the agent (see `writ owner list`)", Required = true };
        var attestation = new Option<string[]>("--attestation")
        {
            Description = $"Attestation methods the agent may use: {string.Join(", ", AttestationMethods)} (repeat or comma-separate) [default: the server's]",
            HelpName = "method",
        };
        attestation.CompletionSources.Add(AttestationMethods);
        var metadata = new Option<string[]>("--metadata") { Description = "Metadata as key=value (repeatable)", HelpName = "key=value" };
        var publicKeys = new Option<string[]>("--public-key")
        {
            Description = "File with a public EC P-256 JWK the agent signs assertions with (repeatable)",
            HelpName = "file",
        };
        var verb = new WritCommand("register", "Register an agent.",
            "writ agent register research --owner alice",
            "writ agent register ci-bot --owner team-platform --attestation registered_key --public-key ci-bot.jwk.json",
            "writ agent register summarizer --owner alice --metadata purpose=summaries --metadata repo=acme/summarizer")
        {
            name,
            owner,
            attestation,
            metadata,
            publicKeys,
        };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var body = new JsonObject { ["name"] = call.Get(name), ["owner"] = call.Get(owner) };
            if (call.Get(attestation) is { Length: > 0 } methods)
            {
                body["attestationMethods"] = new JsonArray([.. InputParsing.CommaSeparated(methods, AttestationMethods, "--attestation").Select(m => (JsonNode)m)]);
            }

            if (call.Get(metadata) is { Length: > 0 } pairs)
            {
                body["metadata"] = InputParsing.Metadata(pairs);
            }

            if (call.Get(publicKeys) is { Length: > 0 } files)
            {
                body["publicKeys"] = new JsonArray([.. files.Select(f => (JsonNode)InputParsing.PublicJwkFile(f))]);
            }

            var agent = await call.Api.PostAsync("agents", body, ct);
            call.Show(agent, a =>
            {
                call.Output.WriteLine($"Agent {Cells.Text(a["name"])} registered as {Cells.Text(a["spiffeId"])} (owner {Cells.Text(a["owner"])}).");
                call.Output.WriteLine($"Next: writ join-token create {Cells.Text(a["name"])}");
            });
        });
        return verb;
    }

    private static WritCommand List(AdminCommandRunner runner)
    {
        var owner = new Option<string?>("--owner") { Description = "Only the agents of this owner" };
        var verb = new WritCommand("list", "List agents.", "writ agent list", "writ agent list --owner alice --json") { owner };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var path = call.Get(owner) is { } o ? "agents?owner=" + Uri.EscapeDataString(o) : "agents";
            call.ShowList(await call.Api.GetAsync(path, ct), Columns, "No agents yet. Register one with `writ agent register <name> --owner <owner>`.");
        });
        return verb;
    }

    private static WritCommand Show(AdminCommandRunner runner)
    {
        var name = new Argument<string>("name") { Description = "Name of the agent" };
        var verb = new WritCommand("show", "Show one agent.", "writ agent show research", "writ agent show research --json") { name };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var agent = await call.Api.GetAsync("agents/" + AdminApiClient.Segment(call.Get(name)), ct);
            call.Show(agent, a => call.Output.WriteDetails([.. Details(a)]));
        });
        return verb;
    }

    private static WritCommand ChangeStatus(AdminCommandRunner runner, string verbName, string description)
    {
        var name = new Argument<string>("name") { Description = "Name of the agent" };
        var verb = new WritCommand(verbName, description, $"writ agent {verbName} research") { name };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var agent = await call.Api.PostAsync($"agents/{AdminApiClient.Segment(call.Get(name))}/{verbName}", null, ct);
            call.Show(agent, a =>
            {
                call.Output.WriteLine($"Agent {Cells.Text(a["name"])} is now {Cells.Text(a["status"])}.");
            });
        });
        return verb;
    }

    public static IEnumerable<(string, string)> Details(JsonObject agent)
    {
        yield return ("Name", Cells.Text(agent["name"]));
        yield return ("SPIFFE ID", Cells.Text(agent["spiffeId"]));
        yield return ("Owner", Cells.Text(agent["owner"]));
        yield return ("Status", Cells.Text(agent["status"]));
        yield return ("Attestation", Cells.Text(agent["attestationMethods"]));
        var metadata = agent["metadata"] as JsonObject;
        yield return ("Metadata", metadata is null || metadata.Count == 0
            ? Cells.Missing
            : string.Join(", ", metadata.Select(p => $"{p.Key}={Cells.Text(p.Value)}")));
        var keys = agent["publicKeys"] as JsonArray;
        yield return ("Public keys", keys is null || keys.Count == 0
            ? Cells.Missing
            : string.Join(", ", keys.Select(k => Cells.Text(k?["kid"]))));
        yield return ("Created", Cells.Time(agent["createdAt"]));
        yield return ("Updated", Cells.Time(agent["updatedAt"]));
    }
}
