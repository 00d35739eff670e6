using System.CommandLine;
using System.Text.Json.Nodes;
using Writ.Cli.Api;
using Writ.Cli.Output;

namespace Writ.Cli.Commands;

// `writ admin-token create|list|revoke`: named, revocable admin tokens, optionally scoped to one owner.
internal static class AdminTokenCommands
{
    private const string Noun = "admin-token";

    private static readonly Column[] Columns =
    [
        Column.Of("NAME", "name"),
        new("SCOPE", t => t["owner"] is { } owner && Cells.Text(owner) != Cells.Missing ? "owner " + Cells.Text(owner) : "all owners"),
        Column.Time("CREATED", "createdAt"),
        Column.Of("CREATED BY", "createdBy"),
        new("REVOKED", t => Cells.Time(t["revokedAt"])),
    ];

    public static Command Create(AdminCommandRunner runner)
    {
        var noun = new WritCommand(Noun, "Admin tokens: named, revocable credentials for the admin API, optionally scoped to one owner.",
            "writ admin-token create ci-pipeline",
            "writ admin-token create alice-agents --owner alice",
            "writ admin-token revoke ci-pipeline");
        runner.AddConnectionOptions(noun);
        noun.Subcommands.Add(CreateVerb(runner));
        noun.Subcommands.Add(List(runner));
        noun.Subcommands.Add(Revoke(runner));
        return noun;
    }

    private static WritCommand CreateVerb(AdminCommandRunner runner)
    {
        var name = new Argument<string>("name") { Description = "Name of the token, recorded with every change it makes" };
        var owner = new Option<string?>("--owner") { Description = "Scope the token to this owner: it then manages only that owner's agents" };
        var verb = new WritCommand("create", "Create a named admin token; it is shown only once.",
            "writ admin-token create ci-pipeline",
            "WRIT_TOKEN=$(writ admin-token create alice-agents --owner alice --json | jq -r .token)")
        {
            name,
            owner,
        };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var body = new JsonObject { ["name"] = call.Get(name) };
            if (call.Get(owner) is { } o)
            {
                body["owner"] = o;
            }

            var created = await call.Api.PostAsync("admin-tokens", body, ct);
            call.Show(created, t =>
            {
                var scope = t["owner"] is { } s && Cells.Text(s) != Cells.Missing ? $"scoped to owner {Cells.Text(s)}" : "for all owners";
                call.Output.WriteLine($"Admin token {Cells.Text(t["name"])} created, {scope}. It is shown only now:");
                call.Output.WriteLine();
                call.Output.WriteLine("  " + Cells.Text(t["token"]));
                call.Output.WriteLine();
            });
        });
        return verb;
    }

    private static WritCommand List(AdminCommandRunner runner)
    {
        var verb = new WritCommand("list", "List named admin tokens (never the tokens themselves).", "writ admin-token list");
        runner.SetAction(verb, Noun, async (call, ct) =>
            call.ShowList(await call.Api.GetAsync("admin-tokens", ct), Columns, "No named admin tokens. Create one with `writ admin-token create <name>`."));
        return verb;
    }

    private static WritCommand Revoke(AdminCommandRunner runner)
    {
        var name = new Argument<string>("name") { Description = "Name of the token" };
        var verb = new WritCommand("revoke", "Revoke a named admin token; it stops working at once.", "writ admin-token revoke ci-pipeline") { name };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var tokenName = call.Get(name);
            await call.Api.DeleteAsync("admin-tokens/" + AdminApiClient.Segment(tokenName), ct);
            call.ShowDone(new JsonObject { ["name"] = tokenName, ["revoked"] = true }, $"Admin token {tokenName} revoked.");
        });
        return verb;
    }
}
