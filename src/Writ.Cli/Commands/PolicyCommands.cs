using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Writ.Cli.Output;
using Writ.Core.Policy;

namespace Writ.Cli.Commands;

// `writ policy apply|test|list|show|activate`: Writ's versioned policy set (docs/guides/policies.md).
internal static class PolicyCommands
{
    private const string Noun = "policy";

    private static readonly Column[] Columns =
    [
        Column.Of("VERSION", "version"),
        new("ACTIVE", row => row["active"]?.GetValue<bool>() == true ? "*" : string.Empty),
        Column.Time("APPLIED", "createdAt"),
        Column.Of("BY", "createdBy"),
        Column.Wrapping("DESCRIPTION", "description"),
    ];

    public static Command Create(AdminCommandRunner runner)
    {
        var noun = new WritCommand(Noun, "Policy sets: Writ's Cedar policies, versioned. Apply a directory of *.cedar files, test it first, list versions, roll back by activating an older one.",
            "writ policy test tests/*.json --policies policies/",
            "writ policy apply policies/ --description \"allow github search\"",
            "writ policy list",
            "writ policy activate 3");
        runner.AddConnectionOptions(noun);
        noun.Subcommands.Add(Apply(runner));
        noun.Subcommands.Add(PolicyTestCommand.Create(runner.Context));
        noun.Subcommands.Add(List(runner));
        noun.Subcommands.Add(Show(runner));
        noun.Subcommands.Add(Activate(runner));
        noun.Subcommands.Add(PolicyPdpClientCommands.Create(runner));
        return noun;
    }

    private static WritCommand Apply(AdminCommandRunner runner)
    {
        var directory = new Argument<string>("directory") { Description = "Directory holding the set's *.cedar files" };
        var description = new Option<string?>("--description") { Description = "What this version changes, kept with it" };
        var noActivate = new Option<bool>("--no-activate") { Description = "Store the version without activating it (activate later with `writ policy activate`)" };
        var verb = new WritCommand("apply", "Validate a directory of *.cedar files against the Writ schema and store it as the next version, active at once unless --no-activate. An invalid set is refused with each error, and the active set stays.",
            "writ policy apply policies/",
            "writ policy apply policies/ --description \"deny restricted targets\" --no-activate")
        {
            directory,
            description,
            noActivate,
        };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var dir = call.Get(directory);
            var files = PolicyDirectory.Read(runner.Context.WorkingDirectory, dir);

            // Checked here first so errors point at the local files; the server checks again before storing.
            var compiled = PolicyCompiler.Compile(files, WritSchema.Schema);
            if (!compiled.Succeeded)
            {
                WriteRefusal(call.Output, dir, compiled);
                throw new CliException($"the policy set in {dir} has {Count(compiled.Errors.Count, "error")}; nothing was applied");
            }

            var body = new JsonObject
            {
                ["files"] = new JsonArray([.. files.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["text"] = f.Text })]),
                ["activate"] = !call.Get(noActivate),
            };
            if (call.Get(description) is { } text)
            {
                body["description"] = text;
            }

            var applied = await call.Api.PostAsync("policy-sets", body, ct);
            call.Show(applied, a =>
            {
                PolicyDirectory.WriteIssues(call.Output, dir, "warning", compiled.Warnings);
                var version = Cells.Text(a["version"]);
                call.Output.WriteLine(a["active"]?.GetValue<bool>() == true
                    ? $"Policy set version {version} applied and active ({Count(compiled.Policies!.Policies.Count + compiled.Policies.Templates.Count, "policy", "policies")} from {Count(files.Count, "file")})."
                    : $"Policy set version {version} stored, not active. Activate it with `writ policy activate {version}`.");
            });
        });
        return verb;
    }

    private static WritCommand List(AdminCommandRunner runner)
    {
        var verb = new WritCommand("list", "List the stored policy set versions, newest first; * marks the active one.", "writ policy list", "writ policy list --json");
        runner.SetAction(verb, Noun, async (call, ct) =>
            call.ShowList(await call.Api.GetAsync("policy-sets", ct), Columns, "No policy set yet; everything is denied. Apply one with `writ policy apply <directory>`."));
        return verb;
    }

    private static WritCommand Show(AdminCommandRunner runner)
    {
        var version = new Argument<long>("version") { Description = "The version to show", CustomParser = WholeNumbers.Long("a policy set version", "e.g. 3 (`writ policy list` shows them)") };
        var verb = new WritCommand("show", "Show one policy set version with its files.", "writ policy show 2", "writ policy show 2 --json") { version };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var set = await call.Api.GetAsync("policy-sets/" + call.Get(version).ToString(CultureInfo.InvariantCulture), ct);
            call.Show(set, s =>
            {
                call.Output.WriteDetails(
                [
                    ("Version", Cells.Text(s["version"])),
                    ("Active", s["active"]?.GetValue<bool>() == true ? "yes" : "no"),
                    ("Applied", Cells.Time(s["createdAt"])),
                    ("By", Cells.Text(s["createdBy"])),
                    ("Description", Cells.Text(s["description"])),
                ]);
                foreach (var file in (s["files"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    call.Output.WriteLine();
                    call.Output.WriteLine("--- " + Cells.Text(file["name"]));
                    call.Output.WriteLine(file["text"]?.GetValue<string>().TrimEnd() ?? string.Empty);
                }
            });
        });
        return verb;
    }

    private static WritCommand Activate(AdminCommandRunner runner)
    {
        var version = new Argument<long>("version") { Description = "The stored version to make active (an older one rolls back)", CustomParser = WholeNumbers.Long("a policy set version", "e.g. 3 (`writ policy list` shows them)") };
        var verb = new WritCommand("activate", "Make a stored version the active policy set, at once and on every server sharing the database (within about a second).", "writ policy activate 3") { version };
        runner.SetAction(verb, Noun, async (call, ct) =>
        {
            var activated = await call.Api.PostAsync("policy-sets/" + call.Get(version).ToString(CultureInfo.InvariantCulture) + "/activate", null, ct);
            call.Show(activated, a => call.Output.WriteLine($"Policy set version {Cells.Text(a["version"])} is active."));
        });
        return verb;
    }

    private static void WriteRefusal(CommandOutput output, string directory, PolicyCompilation compiled)
    {
        if (output.Json)
        {
            output.WriteJson(new JsonObject
            {
                ["passed"] = false,
                ["errors"] = new JsonArray([.. compiled.Errors.Select(e => (JsonNode)PolicyDirectory.IssueJson(e))]),
                ["warnings"] = new JsonArray([.. compiled.Warnings.Select(e => (JsonNode)PolicyDirectory.IssueJson(e))]),
            });
            return;
        }

        PolicyDirectory.WriteIssues(output, directory, "error", compiled.Errors);
        PolicyDirectory.WriteIssues(output, directory, "warning", compiled.Warnings);
    }

    private static string Count(int n, string noun, string? plural = null) => n == 1 ? $"1 {noun}" : $"{n} {plural ?? noun + "s"}";
}
