using System.CommandLine;
using System.Text.Json.Nodes;
using Writ.Cli.Api;
using Writ.Cli.Output;

namespace Writ.Cli.Commands;

// `writ task list|show|cancel`: tasks agents started (or were delegated), their intent and state.
internal static class TaskCommands
{
    private const string Noun = "task";

    private static readonly string[] States = ["active", "completed", "cancelled", "expired", "revoked"];

    private static readonly Column[] Columns =
    [
        Column.Of("ID", "id"),
        Column.Of("AGENT", "agent"),
        Column.Of("OWNER", "owner"),
        Column.Of("STATE", "state"),
        Column.Of("DEPTH", "depth"),
        new("TOOLS", row => Tools(row["intent"])),
        Column.Time("EXPIRES", "expiresAt"),
    ];

    public static Command Create(AdminCommandRunner runner)
    {
        var noun = new WritCommand(Noun, "Tasks: units of agent work with a declared intent, started and delegated by token exchange.",
            "writ task list --state active",
            "writ task show <task-id>",
            "writ task cancel <task-id>");
        runner.AddConnectionOptions(noun);
        noun.Subcommands.Add(List(runner));
        noun.Subcommands.Add(Show(runner));
        noun.Subcommands.Add(Cancel(runner));
        return noun;
    }

    private static WritCommand List(AdminCommandRunner runner)
    {
        var owner = new Option<string?>("--owner") { Description = "Only the tasks of this owner" };
        var agent = new Option<string?>("--agent") { Description = "Only the tasks run by this agent" };
        var state = new Option<string?>("--state") { Description = "Only tasks in this state", HelpName = string.Join('|', States) };
        state.AcceptOnlyFromAmong(States);
        var limit = new Option<int?>("--limit") { Description = "At most this many tasks, newest first (1-1000, default 100)", CustomParser = WholeNumbers.OptionalInt("a task count", "1 to 1000") };
        var verb = new WritCommand("list", "List tasks, newest first.",
            "writ task list",
            "writ task list --agent research --state active",
            "writ task list --owner alice --limit 20 --json")
        {
            owner,
            agent,
            state,
            limit,
        };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var query = new List<string>();
            Add(query, "owner", call.Get(owner));
            Add(query, "agent", call.Get(agent));
            Add(query, "state", call.Get(state));
            if (call.Get(limit) is { } n)
            {
                Add(query, "limit", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            var path = query.Count == 0 ? "tasks" : "tasks?" + string.Join('&', query);
            call.ShowList(await call.Api.GetAsync(path, ct), Columns, "No tasks. Agents start tasks by token exchange; see docs/guides/tasks.md.");
        });
        return verb;
    }

    private static WritCommand Show(AdminCommandRunner runner)
    {
        var id = new Argument<string>("id") { Description = "The task id (tid)" };
        var verb = new WritCommand("show", "Show one task: its intent, delegation chain and state.", "writ task show 3q2-x8Yw7mR1", "writ task show 3q2-x8Yw7mR1 --json") { id };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var task = await call.Api.GetAsync("tasks/" + AdminApiClient.Segment(call.Get(id)), ct);
            call.Show(task, t => call.Output.WriteDetails([.. Details(t)]));
        });
        return verb;
    }

    private static WritCommand Cancel(AdminCommandRunner runner)
    {
        var id = new Argument<string>("id") { Description = "The task id (tid)" };
        var verb = new WritCommand("cancel", "Cancel an active task and every task delegated from it; their next calls are denied.", "writ task cancel 3q2-x8Yw7mR1") { id };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var task = await call.Api.PostAsync($"tasks/{AdminApiClient.Segment(call.Get(id))}/cancel", null, ct);
            call.Show(task, t => call.Output.WriteLine($"Task {Cells.Text(t["id"])} of agent {Cells.Text(t["agent"])} is now {Cells.Text(t["state"])}."));
        });
        return verb;
    }

    private static IEnumerable<(string, string)> Details(JsonObject task)
    {
        var intent = task["intent"] as JsonObject;
        yield return ("Id", Cells.Text(task["id"]));
        yield return ("Agent", Cells.Text(task["agent"]));
        yield return ("Owner", Cells.Text(task["owner"]));
        yield return ("User", Cells.Text(task["user"]));
        yield return ("State", Cells.Text(task["state"]));
        yield return ("Purpose", Cells.Text(intent?["purpose"]));
        yield return ("Sensitivity", Cells.Text(intent?["sensitivity"]));
        foreach (var grant in (intent?["tools"] as JsonArray ?? []).OfType<JsonObject>())
        {
            yield return ("Tool", $"{Cells.Text(grant["tool"])} on {string.Join(", ", (grant["targets"] as JsonArray ?? []).Select(t => Cells.Text(t)))}");
        }

        yield return ("Audience", Cells.Text(task["audience"]));
        yield return ("Parent", Cells.Text(task["parentId"]));
        yield return ("Root", Cells.Text(task["rootId"]));
        yield return ("Chain", task["chain"] is JsonArray { Count: > 0 } chain ? string.Join(" → ", chain.Select(a => Cells.Text(a))) : Cells.Missing);
        yield return ("Depth", Cells.Text(task["depth"]));
        yield return ("DPoP key", Cells.Text(task["dpopJkt"]));
        yield return ("Created", Cells.Time(task["createdAt"]));
        yield return ("Expires", Cells.Time(task["expiresAt"]));
        yield return ("Ended", Cells.Time(task["endedAt"]));
        yield return ("Ended by", Cells.Text(task["endedBy"]));
    }

    private static string Tools(JsonNode? intent) =>
        intent?["tools"] is JsonArray { Count: > 0 } tools ? string.Join(", ", tools.Select(t => Cells.Text(t?["tool"]))) : Cells.Missing;

    private static void Add(List<string> query, string name, string? value)
    {
        if (value is not null)
        {
            query.Add(name + "=" + Uri.EscapeDataString(value));
        }
    }
}
