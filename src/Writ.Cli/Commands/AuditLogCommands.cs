using System.CommandLine;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Writ.Cli.Api;
using Writ.Cli.Output;
using Writ.Core.Audit;

namespace Writ.Cli.Commands;

// `writ audit search|tail|show|export`: reading the audit log through the admin API.
internal static class AuditLogCommands
{
    private const int TailPage = 1000;

    // The outcomes worth typing; the log holds others (requested, applied, granted) that search still accepts.
    private static readonly string[] Decisions = ["allow", "deny", "issued", "refused"];

    // Every event type the core defines, so a new type completes without touching the CLI.
    private static readonly string[] EventTypes = [.. typeof(AuditEventTypes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .Order(StringComparer.Ordinal)];

    private static readonly Column[] Columns =
    [
        Column.Of("SEQ", "seq"),
        Column.Time("TIME", "time"),
        Column.Of("TYPE", "type"),
        Column.Wrapping("AGENT", "agent"),
        Column.Of("OWNER", "owner"),
        Column.Of("DECISION", "decision"),
        Column.Wrapping("TARGET", "target"),
        Column.Of("ACTOR", "actor"),
        Column.Wrapping("REASON", "reason"),
    ];

    public static WritCommand Search(AdminCommandRunner runner, string noun)
    {
        var agent = new Option<string?>("--agent") { Description = "Agent SPIFFE ID, e.g. spiffe://acme.test/agent/research" };
        var owner = new Option<string?>("--owner") { Description = "Owner name" };
        var task = new Option<string?>("--task") { Description = "Task id" };
        var type = new Option<string?>("--type") { Description = "Event type, e.g. identity.issued, admin.change, decision" };
        var decision = new Option<string?>("--decision") { Description = "Decision or outcome, e.g. allow, deny, issued, refused" };
        type.CompletionSources.Add(EventTypes);
        decision.CompletionSources.Add(Decisions);
        var actor = new Option<string?>("--actor") { Description = "Admin token name that made a change" };
        var since = new Option<string?>("--since") { Description = "Earliest time (ISO 8601, e.g. 2026-03-01T12:00:00Z)" };
        var until = new Option<string?>("--until") { Description = "Latest time, exclusive (ISO 8601)" };
        var limit = new Option<int?>("--limit") { Description = "Most records to show (1-1000) [default: 100]", CustomParser = WholeNumbers.OptionalInt("a record count", "1 to 1000") };
        var cursor = new Option<long?>("--cursor") { Description = "Continue after this sequence number (the previous page's nextCursor)", CustomParser = WholeNumbers.OptionalLong("a sequence number", "the nextCursor the previous page printed") };
        var oldest = new Option<bool>("--oldest-first") { Description = "Oldest records first (default: newest first)" };
        var verb = new WritCommand("search", "Search audit records; every filter given must match.",
            "writ audit search --type identity.refused --since 2026-03-01T00:00:00Z",
            "writ audit search --owner alice --decision deny --limit 20 --json")
        {
            agent, owner, task, type, decision, actor, since, until, limit, cursor, oldest,
        };
        runner.SetAction(verb, noun, async (call, ct) =>
        {
            var query = new QueryText()
                .Add("agent", call.Get(agent))
                .Add("owner", call.Get(owner))
                .Add("task", call.Get(task))
                .Add("type", call.Get(type))
                .Add("decision", call.Get(decision))
                .Add("actor", call.Get(actor))
                .Add("from", InputParsing.Time(call.Get(since), "--since"))
                .Add("until", InputParsing.Time(call.Get(until), "--until"))
                .Add("limit", call.Get(limit)?.ToString(CultureInfo.InvariantCulture))
                .Add("cursor", call.Get(cursor)?.ToString(CultureInfo.InvariantCulture))
                .Add("order", call.Get(oldest) ? "oldest" : null);
            var page = await call.Api.GetAsync("audit/records" + query, ct);
            call.ShowList(page, Columns, "No audit records match.");
            if (!call.Output.Json && page?["nextCursor"] is JsonValue next)
            {
                call.Output.WriteLine($"More: add --cursor {next}");
            }
        });
        return verb;
    }

    public static WritCommand Tail(AdminCommandRunner runner, string noun)
    {
        var lines = new Option<int?>("--lines", "-n") { Description = "How many of the newest records to show first (1-1000) [default: 20]", CustomParser = WholeNumbers.OptionalInt("a record count", "1 to 1000") };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new records as they are appended (Ctrl+C to stop)" };
        var interval = new Option<double?>("--interval") { Description = "Seconds between polls with --follow [default: 1]" };
        var verb = new WritCommand("tail", "Show the newest audit records, and with --follow every new one as it is appended.",
            "writ audit tail",
            "writ audit tail -n 50 --follow",
            "writ audit tail --follow --json | jq .type")
        {
            lines, follow, interval,
        };
        runner.SetAction(verb, noun, async (call, ct) =>
        {
            var count = call.Get(lines) ?? 20;
            if (count is < 1 or > TailPage)
            {
                throw new CliException($"--lines must be 1 to {TailPage}.", ExitCodes.Usage);
            }

            var seconds = call.Get(interval) ?? 1;
            if (double.IsNaN(seconds) || seconds < 0.1 || seconds > 3600)
            {
                throw new CliException("--interval must be 0.1 to 3600 seconds.", ExitCodes.Usage);
            }

            var newest = await call.Api.GetAsync($"audit/records?limit={count}", ct);
            var first = Items(newest).Reverse().ToList();
            var last = first.Count == 0 ? -1 : first[^1]["seq"]!.GetValue<long>();
            Print(call, first, printEmpty: !call.Get(follow));
            if (!call.Get(follow))
            {
                return;
            }

            // Polls oldest-first after the last record seen, so nothing is skipped however busy the log is.
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds));
            try
            {
                while (await timer.WaitForNextTickAsync(ct))
                {
                    while (true)
                    {
                        var cursor = last < 0 ? string.Empty : $"&cursor={last}";
                        var page = Items(await call.Api.GetAsync($"audit/records?order=oldest&limit={TailPage}{cursor}", ct)).ToList();
                        Print(call, page, printEmpty: false);
                        if (page.Count > 0)
                        {
                            last = page[^1]["seq"]!.GetValue<long>();
                        }

                        if (page.Count < TailPage)
                        {
                            break;
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl+C ends --follow; that is the normal way out.
            }
        });
        return verb;
    }

    public static WritCommand Prune(AdminCommandRunner runner, string noun)
    {
        var before = new Option<long>("--before") { Description = "Delete the records below this sequence number; it must be the tree size of a signed checkpoint", Required = true, CustomParser = WholeNumbers.Long("a tree size", "the size of a signed checkpoint (`writ audit verify` prints the latest)") };
        var verb = new WritCommand("prune", "Delete the oldest audit records at a signed checkpoint; the log still verifies (their Merkle frontier and every checkpoint are kept).",
            "writ audit prune --before 100000")
        {
            before,
        };
        runner.SetAction(verb, noun, async (call, ct) =>
        {
            var size = call.Get(before);
            if (size <= 0)
            {
                throw new CliException("--before must be the tree size of a signed checkpoint (above 0).", ExitCodes.Usage);
            }

            var pruned = await call.Api.PostAsync("audit/prune", new JsonObject { ["before"] = size }, ct);
            call.Show(pruned, o => call.Output.WriteLine(
                $"Deleted {Cells.Text(o["deleted"])} audit record(s); records below {Cells.Text(o["prunedBefore"])} are pruned and the rest still verifies against checkpoint {Cells.Text(o["checkpoint"])}."));
        });
        return verb;
    }

    public static WritCommand Show(AdminCommandRunner runner, string noun)
    {
        var sequence = new Argument<long>("seq") { Description = "Sequence number of the record", CustomParser = WholeNumbers.Long("a sequence number", "e.g. 42 (`writ audit search` lists them)") };
        var verb = new WritCommand("show", "Show one audit record with its inclusion proof in the latest signed checkpoint.",
            "writ audit show 42",
            "writ audit show 42 --json")
        {
            sequence,
        };
        runner.SetAction(verb, noun, async (call, ct) =>
        {
            var seq = call.Get(sequence);
            if (seq < 0)
            {
                throw new CliException("the sequence number must be 0 or more.", ExitCodes.Usage);
            }

            var shown = await call.Api.GetAsync("audit/records/" + seq.ToString(CultureInfo.InvariantCulture), ct);
            call.Show(shown, o =>
            {
                var r = o["record"] as JsonObject ?? [];
                var fields = new List<(string, string)>
                {
                    ("Sequence", Cells.Text(r["seq"])),
                    ("Time", Cells.Time(r["time"])),
                    ("Type", Cells.Text(r["type"])),
                    ("Agent", Cells.Text(r["agent"])),
                    ("Owner", Cells.Text(r["owner"])),
                    ("Task", Cells.Text(r["taskId"])),
                    ("Chain", r["chain"] is JsonArray chain ? string.Join(" → ", chain.Select(Cells.Text)) : Cells.Missing),
                    ("Target", Cells.Text(r["target"])),
                    ("Decision", Cells.Text(r["decision"])),
                    ("Reason", Cells.Text(r["reason"])),
                    ("Actor", Cells.Text(r["actor"])),
                    ("Trace", Cells.Text(r["traceId"])),
                    ("Detail", r["detail"] is JsonObject detail ? string.Join(", ", detail.Select(d => $"{d.Key}={Cells.Text(d.Value)}")) : Cells.Missing),
                    ("Leaf hash", Cells.Text(r["leafHash"])),
                };
                if (o["checkpoint"] is JsonObject checkpoint && o["inclusionProof"] is JsonArray proof)
                {
                    fields.Add(("Checkpoint", $"tree size {Cells.Text(checkpoint["treeSize"])}, root {Cells.Text(checkpoint["rootHash"])}"));
                    fields.Add(("Proof", proof.Count == 0 ? "(the record is the whole tree)" : string.Join(" ", proof.Select(Cells.Text))));
                }
                else
                {
                    fields.Add(("Proof", "not yet: no signed checkpoint covers this record; try again in a second"));
                }

                call.Output.WriteDetails(fields);
            });
        });
        return verb;
    }

    public static WritCommand Export(AdminCommandRunner runner, string noun)
    {
        var from = new Option<long?>("--from") { Description = "First sequence number [default: the oldest kept]", CustomParser = WholeNumbers.OptionalLong("a sequence number", "e.g. 1000") };
        var to = new Option<long?>("--to") { Description = "Stop before this sequence number [default: the size of the log when the export starts]", CustomParser = WholeNumbers.OptionalLong("a sequence number", "e.g. 2000") };
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of standard output", HelpName = "file" };
        var verb = new WritCommand("export", "Export audit records as JSON Lines (one record per line, in sequence order), streamed.",
            "writ audit export > audit.jsonl",
            "writ audit export --from 1000 --to 2000 -o slice.jsonl")
        {
            from, to, output,
        };
        runner.SetAction(verb, noun, async (call, ct) =>
        {
            var query = new QueryText()
                .Add("from", call.Get(from)?.ToString(CultureInfo.InvariantCulture))
                .Add("to", call.Get(to)?.ToString(CultureInfo.InvariantCulture));
            var path = call.Get(output);
            if (path is null)
            {
                await call.Api.ReadLinesAsync("audit/export" + query, line =>
                {
                    call.Output.WriteLine(line);
                    return Task.CompletedTask;
                }, ct);
                return;
            }

            var count = 0L;
            await using (var file = new StreamWriter(path, append: false, new UTF8Encoding(false)))
            {
                await call.Api.ReadLinesAsync("audit/export" + query, async line =>
                {
                    await file.WriteLineAsync(line.AsMemory(), ct);
                    count++;
                }, ct);
            }

            if (!call.Output.Json)
            {
                call.Output.WriteLine($"Exported {count} records to {path}.");
            }
        });
        return verb;
    }

    private static IEnumerable<JsonObject> Items(JsonNode? page) =>
        (page?["items"] as JsonArray ?? throw new AdminApiException("the server answered without the expected \"items\" list")).OfType<JsonObject>();

    private static void Print(AdminInvocation call, List<JsonObject> records, bool printEmpty)
    {
        if (call.Output.Json)
        {
            // One record per line, so `--follow --json` is a JSON Lines stream.
            foreach (var record in records)
            {
                call.Output.WriteJsonLine(record);
            }

            return;
        }

        if (records.Count > 0 || printEmpty)
        {
            call.Output.WriteTable(Columns, records, "The audit log is empty.");
        }
    }

    // Builds "?a=1&b=2" from the values given, escaped.
    private sealed class QueryText
    {
        private readonly StringBuilder _text = new();

        public QueryText Add(string name, string? value)
        {
            if (value is not null)
            {
                _text.Append(_text.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            }

            return this;
        }

        public override string ToString() => _text.ToString();
    }
}
