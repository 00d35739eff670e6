using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Writ.Bench.Cedar;

/// <summary>
/// Joins writ-results.json and wasm-results.json: fails when the engines disagree on any request, else
/// prints the side-by-side table with ratios and the state of each target.
/// </summary>
internal static class CedarReport
{
    private static readonly string[] AppWorkloads = ["gdrive", "github", "tinytodo"];

    /// <summary>Returns 0 when every decision agrees, 1 otherwise.</summary>
    public static int Run(string root, IEnumerable<string> workloads)
    {
        var rows = new List<(WritResults Writ, WasmResults Wasm)>();
        var serverRows = new List<(WritResults Writ, WasmResults Wasm)>();
        var disagreements = 0;
        foreach (var name in workloads)
        {
            var writ = Load<WritResults>(Path.Combine(root, name, CedarRun.ResultsFile(serverGc: false)));
            var wasm = Load<WasmResults>(Path.Combine(root, name, "wasm-results.json"));
            if (writ.Decisions.Length != wasm.Decisions.Length)
            {
                Console.Error.WriteLine($"DISAGREEMENT {name}: writ decided {writ.Decisions.Length} requests, cedar-wasm {wasm.Decisions.Length}");
                disagreements++;
            }

            for (var i = 0; i < Math.Min(writ.Decisions.Length, wasm.Decisions.Length); i++)
            {
                if (!writ.Decisions[i].SameAs(wasm.Decisions[i]))
                {
                    Console.Error.WriteLine($"DISAGREEMENT {name} request {i}: writ {writ.Decisions[i]}, cedar-wasm {wasm.Decisions[i]}");
                    disagreements++;
                }
            }

            rows.Add((writ, wasm));
            serverRows.AddRange(LoadServerGc(root, name, writ).Select(s => (s, wasm)));
        }

        if (disagreements > 0)
        {
            Console.Error.WriteLine($"FAILED: {disagreements} requests decided differently by writ and cedar-wasm");
            return 1;
        }

        Console.WriteLine($"Decisions agree on all {rows.Sum(r => r.Writ.Requests)} requests (decision, determining and erroring policy ids).");
        Console.WriteLine();
        Console.Write(Table(rows));
        Console.WriteLine();
        foreach (var line in Targets(rows))
        {
            Console.WriteLine(line);
        }

        if (serverRows.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("Ours again with the server garbage collector (DOTNET_gcServer=1, as ASP.NET Core hosts default to), same cedar-wasm figures:");
            Console.WriteLine();
            Console.Write(Table(serverRows));
            Console.WriteLine();
            foreach (var line in Targets(serverRows))
            {
                Console.WriteLine(line);
            }
        }

        return 0;
    }

    /// <summary>The server-GC run of a workload, if one was made; its decisions must match the main run's.</summary>
    private static IEnumerable<WritResults> LoadServerGc(string root, string name, WritResults main)
    {
        var path = Path.Combine(root, name, CedarRun.ResultsFile(serverGc: true));
        if (!File.Exists(path))
        {
            yield break;
        }

        var server = Load<WritResults>(path);
        if (server.Decisions.Length != main.Decisions.Length || server.Decisions.Where((d, i) => !d.SameAs(main.Decisions[i])).Any())
        {
            throw new InvalidDataException($"{name}: the server-GC run decided differently from the main run");
        }

        yield return server;
    }

    private static string Table(List<(WritResults Writ, WasmResults Wasm)> rows)
    {
        var sb = new StringBuilder();
        sb.Append("| workload | policies | entities/request | ours preloaded median / p99 µs | ours from JSON median / p99 µs | cedar-wasm from JSON median / p99 µs | cedar-wasm preparsed policies median / p99 µs | from JSON: cedar-wasm ÷ ours (median, p99) | cedar-wasm preparsed ÷ ours preloaded (median) |\n");
        sb.Append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var (w, n) in rows)
        {
            sb.Append(CultureInfo.InvariantCulture, $"| {w.Workload} | {w.Policies} | {w.Slice.Min}–{w.Slice.Max} (median {w.Slice.Median}) ");
            sb.Append(CultureInfo.InvariantCulture, $"| {Us(w.Preloaded.MedianUs)} / {Us(w.Preloaded.P99Us)} | {Us(w.FromJson.MedianUs)} / {Us(w.FromJson.P99Us)} ");
            sb.Append(CultureInfo.InvariantCulture, $"| {Us(n.FromJson.MedianUs)} / {Us(n.FromJson.P99Us)} | {Us(n.Preparsed.MedianUs)} / {Us(n.Preparsed.P99Us)} ");
            sb.Append(CultureInfo.InvariantCulture, $"| {n.FromJson.MedianUs / w.FromJson.MedianUs:F1}×, {n.FromJson.P99Us / w.FromJson.P99Us:F1}× | {n.Preparsed.MedianUs / w.Preloaded.MedianUs:F1}× |\n");
        }

        return sb.ToString();
    }

    private static IEnumerable<string> Targets(List<(WritResults Writ, WasmResults Wasm)> rows)
    {
        foreach (var (w, n) in rows)
        {
            var ratio = n.FromJson.MedianUs / w.FromJson.MedianUs;
            yield return Verdict(ratio >= 5, $"{w.Workload}: from JSON {ratio:F1}× faster than cedar-wasm (target ≥ 5×)");
            if (AppWorkloads.Contains(w.Workload))
            {
                yield return Verdict(w.Preloaded.MedianUs <= 5, $"{w.Workload}: preloaded median {Us(w.Preloaded.MedianUs)} µs (target ≤ 5 µs)");
            }
            else
            {
                yield return Verdict(w.Preloaded.P99Us <= 50, $"{w.Workload}: preloaded p99 {Us(w.Preloaded.P99Us)} µs (target ≤ 50 µs)");
            }
        }
    }

    private static string Verdict(bool met, string what) => string.Create(CultureInfo.InvariantCulture, $"{(met ? "met   " : "MISSED")} {what}");

    private static string Us(double us) => us.ToString(us < 100 ? "F2" : "F0", CultureInfo.InvariantCulture);

    private static T Load<T>(string path) =>
        File.Exists(path)
            ? JsonSerializer.Deserialize<T>(File.ReadAllText(path), CedarRun.Json) ?? throw new InvalidDataException($"{path} is empty")
            : throw new FileNotFoundException($"missing {path}: run both engines first", path);
}

internal sealed record WasmResults(
    [property: JsonPropertyName("workload")] string Workload,
    [property: JsonPropertyName("fromJson")] LatencyStats FromJson,
    [property: JsonPropertyName("preparsed")] LatencyStats Preparsed,
    [property: JsonPropertyName("decisions")] BenchDecision[] Decisions);
