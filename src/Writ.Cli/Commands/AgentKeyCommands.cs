using System.CommandLine;
using System.Text.Json.Nodes;
using Writ.Cli.Api;
using Writ.Cli.Output;

namespace Writ.Cli.Commands;

// `writ agent-key add|list|remove`: the public keys an agent signs its RFC 7523 assertions with.
internal static class AgentKeyCommands
{
    private const string Noun = "agent-key";

    private static readonly Column[] Columns =
    [
        Column.Of("KID", "kid"),
        Column.Of("THUMBPRINT", "thumbprint"),
        new("KEY", k => k["jwk"] is JsonObject jwk ? $"{Cells.Text(jwk["kty"])} {Cells.Text(jwk["crv"])}" : Cells.Missing),
        Column.Time("ADDED", "addedAt"),
    ];

    public static Command Create(AdminCommandRunner runner)
    {
        var noun = new WritCommand(Noun, "Agent keys: the public keys an agent signs its assertions with (registered-key attestation).",
            "writ agent-key add research --public-key research.jwk.json",
            "writ agent-key list research",
            "writ agent-key remove research 3q2-7bNsE0S5Zt0m6o8bYxLrVw4nH3k2aZ1pQe9cD5s");
        runner.AddConnectionOptions(noun);
        noun.Subcommands.Add(Add(runner));
        noun.Subcommands.Add(List(runner));
        noun.Subcommands.Add(Remove(runner));
        return noun;
    }

    private static WritCommand Add(AdminCommandRunner runner)
    {
        var agent = new Argument<string>("agent") { Description = "Name of the agent" };
        var publicKey = new Option<string>("--public-key") { Description = "File with the public EC P-256 JWK", Required = true, HelpName = "file" };
        var verb = new WritCommand("add", "Register one more public key for an agent (e.g. before rotating the agent's key).",
            "writ agent-key add research --public-key research-2.jwk.json")
        {
            agent,
            publicKey,
        };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var body = new JsonObject { ["jwk"] = InputParsing.PublicJwkFile(call.Get(publicKey)!) };
            var updated = await call.Api.PostAsync($"agents/{AdminApiClient.Segment(call.Get(agent))}/keys", body, ct);
            call.Show(updated, a =>
            {
                var keys = a["publicKeys"] as JsonArray;
                var added = keys?.LastOrDefault();
                call.Output.WriteLine($"Key {Cells.Text(added?["kid"])} added to agent {Cells.Text(a["name"])}; it now has {keys?.Count ?? 0} key(s).");
            });
        });
        return verb;
    }

    private static WritCommand List(AdminCommandRunner runner)
    {
        var agent = new Argument<string>("agent") { Description = "Name of the agent" };
        var verb = new WritCommand("list", "List an agent's public keys.", "writ agent-key list research", "writ agent-key list research --json") { agent };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var found = await call.Api.GetAsync("agents/" + AdminApiClient.Segment(call.Get(agent)), ct);
            var keys = found?["publicKeys"] as JsonArray ?? [];
            call.ShowList(new JsonObject { ["items"] = keys.DeepClone() }, Columns, $"Agent {call.Get(agent)} has no registered keys. Add one with `writ agent-key add {call.Get(agent)} --public-key <file>`.");
        });
        return verb;
    }

    private static WritCommand Remove(AdminCommandRunner runner)
    {
        var agent = new Argument<string>("agent") { Description = "Name of the agent" };
        var kid = new Argument<string>("kid") { Description = "Key id, as `writ agent-key list` shows it; one that starts with '-' goes after `--`" };
        var verb = new WritCommand("remove", "Remove a key from an agent; assertions signed with it stop working.",
            "writ agent-key remove research 3q2-7bNsE0S5Zt0m6o8bYxLrVw4nH3k2aZ1pQe9cD5s",
            "writ agent-key remove research -- -Yt0m6o8bYxLrVw4nH3k2aZ1pQe9cD5s3q2-7bNsE0S")
        {
            agent,
            kid,
        };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var updated = await call.Api.DeleteAsync($"agents/{AdminApiClient.Segment(call.Get(agent))}/keys/{AdminApiClient.Segment(call.Get(kid))}", ct);
            call.Show(updated, a => call.Output.WriteLine($"Key {call.Get(kid)} removed from agent {Cells.Text(a["name"])}; assertions signed with it are refused from now on."));
        });
        return verb;
    }
}
