using System.CommandLine;
using System.Text.Json.Nodes;
using Writ.Cli.Output;

namespace Writ.Cli.Commands;

// `writ key list|rotate`: the ES256 keys that sign identity tokens.
internal static class KeyCommands
{
    private const string Noun = "key";

    private static readonly Column[] Columns =
    [
        Column.Of("KID", "kid"),
        Column.Of("ALG", "alg"),
        Column.Of("STATUS", "status"),
        new("SIGNING", k => k["signing"] is JsonValue v && v.TryGetValue<bool>(out var signing) ? (signing ? "yes" : "no") : Cells.Missing),
        Column.Time("CREATED", "createdAt"),
        Column.Time("SIGNS FROM", "activatesAt"),
        Column.Time("RETIRES", "retiresAt"),
    ];

    public static Command Create(AdminCommandRunner runner)
    {
        var noun = new WritCommand(Noun, "Signing keys of identity tokens, and their rotation.",
            "writ key list",
            "writ key rotate");
        runner.AddConnectionOptions(noun);
        noun.Subcommands.Add(List(runner));
        noun.Subcommands.Add(Rotate(runner));
        return noun;
    }

    private static WritCommand List(AdminCommandRunner runner)
    {
        var verb = new WritCommand("list", "List signing keys with their status.", "writ key list");
        runner.SetAction(verb, Noun, async (call, ct) =>
            call.ShowList(await call.Api.GetAsync("keys", ct), Columns, "No signing keys."));
        return verb;
    }

    private static WritCommand Rotate(AdminCommandRunner runner)
    {
        var verb = new WritCommand("rotate", "Create the next signing key: it is published first and signs once relying parties can know it.", "writ key rotate");
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var key = await call.Api.PostAsync("keys/rotate", null, ct);
            call.Show(key, k => call.Output.WriteLine(
                $"New signing key {Cells.Text(k["kid"])} ({Cells.Text(k["alg"])}) is published and signs from {Cells.Time(k["activatesAt"])}; older keys stay published until their tokens expire."));
        });
        return verb;
    }
}
