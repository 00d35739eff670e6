using System.CommandLine;
using System.Text.Json.Nodes;
using Writ.Cli.Output;

namespace Writ.Cli.Commands.Revoke;

// What every `writ revoke <kind>` verb shares: one POST /admin/v1/revocations, then a table of every event it recorded.
internal static class RevokeVerb
{
    private static readonly Column[] Columns =
    [
        Column.Of("EVENT", "id"),
        Column.Of("KIND", "kind"),
        Column.Wrapping("SUBJECT", "subject"),
        Column.Time("MATTERS UNTIL", "expiresAt"),
    ];

    public static WritCommand Create(AdminCommandRunner runner, string kind, string description, string argumentDescription, Func<string, string> toId, params string[] examples)
    {
        var id = new Argument<string>("id") { Description = argumentDescription };
        var cause = new Option<string?>("--cause") { Description = "Why, in a few words; enforcement points and the audit log see it" };
        var verb = new WritCommand(kind, description, examples) { id, cause };
        runner.SetAction(verb, RevokeCommands.Noun, async (call, ct) =>
        {
            var body = new JsonObject { ["kind"] = kind, ["id"] = toId(call.Get(id)) };
            if (call.Get(cause) is { } text)
            {
                body["cause"] = text;
            }

            var result = await call.Api.PostAsync("revocations", body, ct);
            if (call.Output.Json)
            {
                call.Output.WriteJson(result);
                return;
            }

            var ended = result?["ended"] as JsonArray ?? [];
            call.Output.WriteLine($"Revoked {kind} {Cells.Text(body["id"])}: {ended.Count} revocation event(s), announced to every subscribed enforcement point.");
            call.Output.WriteTable(Columns, ended.OfType<JsonObject>(), "Nothing was in force any more.");
        });
        return verb;
    }
}
