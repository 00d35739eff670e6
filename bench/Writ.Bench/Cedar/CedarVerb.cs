using System.Globalization;

namespace Writ.Bench.Cedar;

/// <summary>
/// <c>cedar gen DIR</c> writes the inputs; <c>cedar run DIR [--workloads a,b] [--calls N] [--json-calls N]
/// [--large-json-calls N] [--warmup SECONDS]</c> times Writ.Cedar; <c>cedar report DIR [--workloads a,b]</c>
/// cross-checks the decisions against cedar-wasm's and prints the table.
/// </summary>
internal static class CedarVerb
{
    public static int Run(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: cedar gen|run|report DIR [options]");
            return 2;
        }

        var dir = args[2];
        var workloads = Option(args, "--workloads")?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? Workloads.Names;
        switch (args[1])
        {
            case "gen":
                foreach (var name in workloads)
                {
                    var w = Workloads.Create(name);
                    WorkloadFiles.Write(w, dir);
                    var slices = w.Requests.Select(r => r.Slice.Count).Order().ToArray();
                    if (slices[0] < 5 || slices[^1] > 50)
                    {
                        throw new InvalidOperationException($"{name}: requests have {slices[0]} to {slices[^1]} entities; the workloads promise 5 to 50");
                    }

                    Console.WriteLine($"{name}: {w.Requests.Count} requests, {w.Entities.Count} entities, {slices[0]}..{slices[^1]} (median {slices[slices.Length / 2]}) per request -> {Path.Combine(dir, name)}");
                }

                return 0;
            case "run":
                var calls = Int(args, "--calls", 20_000);
                var jsonCalls = Int(args, "--json-calls", 5_000);
                var largeJsonCalls = Int(args, "--large-json-calls", 300);
                var warmup = double.Parse(Option(args, "--warmup") ?? "3", CultureInfo.InvariantCulture);
                foreach (var name in workloads)
                {
                    CedarRun.Run(dir, [name], calls, name == "policies10k" ? largeJsonCalls : jsonCalls, warmup);
                }

                return 0;
            case "report":
                return CedarReport.Run(dir, workloads);
            default:
                Console.Error.WriteLine($"unknown cedar verb {args[1]}");
                return 2;
        }
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static int Int(string[] args, string name, int fallback) =>
        Option(args, name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
