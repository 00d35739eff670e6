using System.CommandLine;
using System.Text.Json.Nodes;
using Writ.Cli.Api;
using Writ.Cli.Output;

namespace Writ.Cli.Commands;

// `writ owner add|list|show`: the accountable humans and teams.
internal static class OwnerCommands
{
    private const string Noun = "owner";

    private static readonly Column[] Columns =
    [
        Column.Of("NAME", "name"),
        Column.Wrapping("DISPLAY NAME", "displayName"),
        Column.Of("EMAIL", "email"),
        Column.Time("CREATED", "createdAt"),
    ];

    public static Command Create(AdminCommandRunner runner)
    {
        var noun = new WritCommand(Noun, "Owners: the accountable humans or teams; every agent has one.",
            "writ owner add alice --display-name \"Alice Liddell\" --email alice@example.com",
            "writ owner list");
        runner.AddConnectionOptions(noun);
        noun.Subcommands.Add(Add(runner));
        noun.Subcommands.Add(List(runner));
        noun.Subcommands.Add(Show(runner));
        return noun;
    }

    private static WritCommand Add(AdminCommandRunner runner)
    {
        var name = new Argument<string>("name") { Description = "Short unique name of the owner, e.g. alice or team-research" };
        var displayName = new Option<string?>("--display-name") { Description = "Name shown to people" };
        var email = new Option<string?>("--email") { Description = "Contact address of the owner" };
        var verb = new WritCommand("add", "Add an owner.",
            "writ owner add alice",
            "writ owner add team-research --display-name \"Research team\" --email research@example.com")
        {
            name,
            displayName,
            email,
        };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var body = new JsonObject { ["name"] = call.Get(name) };
            if (call.Get(displayName) is { } display)
            {
                body["displayName"] = display;
            }

            if (call.Get(email) is { } mail)
            {
                body["email"] = mail;
            }

            var owner = await call.Api.PostAsync("owners", body, ct);
            call.Show(owner, o =>
            {
                call.Output.WriteLine($"Owner {Cells.Text(o["name"])} added.");
                call.Output.WriteLine($"Next: writ agent register <agent> --owner {Cells.Text(o["name"])}");
            });
        });
        return verb;
    }

    private static WritCommand List(AdminCommandRunner runner)
    {
        var verb = new WritCommand("list", "List owners.", "writ owner list", "writ owner list --json");
        runner.SetAction(verb, Noun, async (call, ct) =>
            call.ShowList(await call.Api.GetAsync("owners", ct), Columns, "No owners yet. Add one with `writ owner add <name>`."));
        return verb;
    }

    private static WritCommand Show(AdminCommandRunner runner)
    {
        var name = new Argument<string>("name") { Description = "Name of the owner" };
        var verb = new WritCommand("show", "Show one owner.", "writ owner show alice") { name };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var owner = await call.Api.GetAsync("owners/" + AdminApiClient.Segment(call.Get(name)), ct);
            call.Show(owner, o => call.Output.WriteDetails(
            [
                ("Name", Cells.Text(o["name"])),
                ("Display name", Cells.Text(o["displayName"])),
                ("Email", Cells.Text(o["email"])),
                ("Created", Cells.Time(o["createdAt"])),
            ]));
        });
        return verb;
    }
}
