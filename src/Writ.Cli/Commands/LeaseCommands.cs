using System.CommandLine;
using Writ.Cli.Api;
using Writ.Cli.Output;

namespace Writ.Cli.Commands;

// `writ lease list|show|revoke`: the just-in-time credentials Writ has issued, and the stuck revocations.
internal static class LeaseCommands
{
    private const string Noun = "lease";

    private static readonly string[] States = ["active", "revoked", "expired", "failed_revocation"];

    private static readonly Column[] Columns =
    [
        Column.Of("ID", "id"),
        Column.Of("KIND", "kind"),
        Column.Of("STATE", "state"),
        Column.Of("TASK", "taskId"),
        Column.Of("AGENT", "agent"),
        Column.Of("CONNECTION", "connection"),
        Column.Time("EXPIRES", "expiresAt"),
        new("ATTEMPTS", l => Cells.Text(l["revocationAttempts"])),
        Column.Wrapping("LAST ERROR", "lastError"),
    ];

    public static Command Create(AdminCommandRunner runner)
    {
        var noun = new WritCommand(Noun, "Leases: every just-in-time credential, its task and its state; stuck revocations are retried and listed here.",
            "writ lease list --stuck",
            "writ lease list --task tsk_123",
            "writ lease revoke lse_abc");
        runner.AddConnectionOptions(noun);
        noun.Subcommands.Add(List(runner));
        noun.Subcommands.Add(Show(runner));
        noun.Subcommands.Add(Revoke(runner));
        return noun;
    }

    private static WritCommand List(AdminCommandRunner runner)
    {
        var stuck = new Option<bool>("--stuck") { Description = "Only leases whose revocation failed and is being retried" };
        var state = new Option<string?>("--state") { Description = "Only leases in this state", HelpName = "state" };
        state.AcceptOnlyFromAmong(States);
        var task = new Option<string?>("--task") { Description = "Only leases of this task", HelpName = "id" };
        var connection = new Option<string?>("--connection") { Description = "Only leases from this connection", HelpName = "name" };
        var limit = new Option<int?>("--limit") { Description = "At most this many (1 to 1000, default 100)", HelpName = "n", CustomParser = WholeNumbers.OptionalInt("a lease count", "1 to 1000") };
        var verb = new WritCommand("list", "List leases, oldest first.", "writ lease list", "writ lease list --stuck", "writ lease list --connection orders-db --state active")
        {
            stuck, state, task, connection, limit,
        };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            if (call.Get(stuck) && call.Get(state) is not null)
            {
                throw new CliException("--stuck already selects failed_revocation; drop --state.", ExitCodes.Usage);
            }

            var query = new List<string>();
            if (call.Get(stuck))
            {
                query.Add("stuck=true");
            }

            Add(query, "state", call.Get(state));
            Add(query, "task", call.Get(task));
            Add(query, "connection", call.Get(connection));
            if (call.Get(limit) is { } n)
            {
                query.Add("limit=" + n.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            var path = query.Count == 0 ? "leases" : "leases?" + string.Join('&', query);
            call.ShowList(await call.Api.GetAsync(path, ct), Columns, call.Get(stuck) ? "No stuck leases: every revocation went through." : "No leases.");
        });
        return verb;
    }

    private static WritCommand Show(AdminCommandRunner runner)
    {
        var id = new Argument<string>("id") { Description = "Lease id (lse_…)" };
        var verb = new WritCommand("show", "Show one lease.", "writ lease show lse_abc") { id };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var lease = await call.Api.GetAsync("leases/" + AdminApiClient.Segment(call.Get(id)), ct);
            call.Show(lease, l => call.Output.WriteDetails(
            [
                ("Id", Cells.Text(l["id"])),
                ("Kind", Cells.Text(l["kind"])),
                ("State", Cells.Text(l["state"])),
                ("Task", Cells.Text(l["taskId"])),
                ("Agent", Cells.Text(l["agent"])),
                ("Owner", Cells.Text(l["owner"])),
                ("Connection", Cells.Text(l["connection"])),
                ("Subject", Cells.Text(l["subject"])),
                ("Issued", Cells.Time(l["issuedAt"])),
                ("Expires", Cells.Time(l["expiresAt"])),
                ("Not after", Cells.Time(l["notAfter"])),
                ("Ended", Cells.Time(l["endedAt"])),
                ("End reason", Cells.Text(l["endReason"])),
                ("Attempts", Cells.Text(l["revocationAttempts"])),
                ("Last error", Cells.Text(l["lastError"])),
                ("Next attempt", Cells.Time(l["nextAttemptAt"])),
                ("Uses", Cells.Text(l["uses"])),
            ]));
        });
        return verb;
    }

    private static WritCommand Revoke(AdminCommandRunner runner)
    {
        var id = new Argument<string>("id") { Description = "Lease id (lse_…)" };
        var verb = new WritCommand("revoke", "Revoke one lease now (a failed upstream revocation is retried by the reaper).", "writ lease revoke lse_abc") { id };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var lease = await call.Api.PostAsync("leases/" + AdminApiClient.Segment(call.Get(id)) + "/revoke", null, ct);
            call.Show(lease, l => call.Output.WriteLine(Cells.Text(l["state"]) == "failed_revocation"
                ? $"Lease {Cells.Text(l["id"])} could not be revoked upstream yet ({Cells.Text(l["lastError"])}); it is retried and listed by `writ lease list --stuck`."
                : $"Lease {Cells.Text(l["id"])} {Cells.Text(l["state"])}."));
        });
        return verb;
    }

    private static void Add(List<string> query, string name, string? value)
    {
        if (value is not null)
        {
            query.Add(name + "=" + Uri.EscapeDataString(value));
        }
    }
}
