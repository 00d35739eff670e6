using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text.Json;
using System.Text.Json.Serialization;
using Writ.Cedar.Authorization;
using Writ.Cedar.Json;

namespace Writ.Bench.Cedar;

/// <summary>
/// The plain-verb benchmark: per workload, times preloaded authorizations and from-JSON authorizations one
/// call at a time with Stopwatch timestamps (so medians and p99s are real, not means), after checking
/// that both modes decide every request alike, and writes <c>writ-results.json</c> beside the inputs
/// (<c>writ-results-servergc.json</c> when the process runs with the server garbage collector).
/// </summary>
internal static class CedarRun
{
    public static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static void Run(string root, IEnumerable<string> workloads, int calls, int jsonCalls, double warmupSeconds)
    {
        foreach (var name in workloads)
        {
            var files = WorkloadFiles.Read(root, name);
            var set = PolicySet.Parse(files.Policies);
            var store = EntityJson.ParseStore(files.Entities);
            var parsed = files.Requests.Select(WritEngine.ReadRequest).ToArray();
            var requests = parsed.Select(p => p.Request).ToArray();

            // Preloaded decisions use the whole entity graph, from-JSON ones each request's slice: they must agree.
            var decisions = new BenchDecision[requests.Length];
            for (var i = 0; i < requests.Length; i++)
            {
                decisions[i] = BenchDecision.Of(Authorizer.IsAuthorized(requests[i], set, store));
                var fromJson = BenchDecision.Of(WritEngine.FromJson(files.Policies, files.Requests[i]));
                if (!decisions[i].SameAs(fromJson))
                {
                    throw new InvalidOperationException($"{name} request {i}: preloaded says {decisions[i]}, from JSON says {fromJson}");
                }
            }

            var preloaded = Measure(calls, warmupSeconds, requests.Length, i => Authorizer.IsAuthorized(requests[i], set, store));
            var perCall = Measure(jsonCalls, warmupSeconds, requests.Length, i => WritEngine.FromJson(files.Policies, files.Requests[i]));
            var slices = parsed.Select(p => p.Entities!.Count).Order().ToArray();
            var result = new WritResults(
                name,
                set.Policies.Count,
                requests.Length,
                new SliceSizes(slices[0], slices[slices.Length / 2], slices[^1]),
                decisions.Count(d => d.Decision == "allow"),
                preloaded,
                perCall,
                decisions);
            File.WriteAllText(Path.Combine(root, name, ResultsFile(GCSettings.IsServerGC)), JsonSerializer.Serialize(result, Json));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"writ {name,-12} {(GCSettings.IsServerGC ? "server" : "workstation")} GC policies={result.Policies} requests={result.Requests} allow={result.Allowed} slice={result.Slice.Min}..{result.Slice.Max} (median {result.Slice.Median}) " +
                $"preloaded median={preloaded.MedianUs:F2}µs p99={preloaded.P99Us:F2}µs  fromJSON median={perCall.MedianUs:F1}µs p99={perCall.P99Us:F1}µs"));
        }
    }

    public static string ResultsFile(bool serverGc) => serverGc ? "writ-results-servergc.json" : "writ-results.json";

    /// <summary>
    /// Warms up for at least <paramref name="warmupSeconds"/> and until the JIT has compiled nothing new for half a
    /// second (tiered compilation finishes in the background, late on a busy machine), then times each call alone.
    /// </summary>
    private static LatencyStats Measure(int calls, double warmupSeconds, int requestCount, Func<int, Response> call)
    {
        var warm = Stopwatch.StartNew();
        var i = 0;
        var jitted = JitInfo.GetCompiledMethodCount();
        var quietSince = TimeSpan.Zero;
        while (warm.Elapsed.TotalSeconds < warmupSeconds * 5)
        {
            GC.KeepAlive(call(i++ % requestCount));
            var now = JitInfo.GetCompiledMethodCount();
            if (now != jitted)
            {
                (jitted, quietSince) = (now, warm.Elapsed);
            }
            else if (warm.Elapsed.TotalSeconds >= warmupSeconds && warm.Elapsed - quietSince > TimeSpan.FromSeconds(0.5) && i >= Math.Min(requestCount, 50))
            {
                break;
            }
        }

        var ticks = new long[calls];
        for (var k = 0; k < calls; k++)
        {
            var t0 = Stopwatch.GetTimestamp();
            GC.KeepAlive(call(k % requestCount));
            ticks[k] = Stopwatch.GetTimestamp() - t0;
        }

        return LatencyStats.FromTicks(ticks);
    }
}

internal sealed record SliceSizes(
    [property: JsonPropertyName("min")] int Min,
    [property: JsonPropertyName("median")] int Median,
    [property: JsonPropertyName("max")] int Max);

internal sealed record WritResults(
    [property: JsonPropertyName("workload")] string Workload,
    [property: JsonPropertyName("policies")] int Policies,
    [property: JsonPropertyName("requests")] int Requests,
    [property: JsonPropertyName("slice")] SliceSizes Slice,
    [property: JsonPropertyName("allowed")] int Allowed,
    [property: JsonPropertyName("preloaded")] LatencyStats Preloaded,
    [property: JsonPropertyName("fromJson")] LatencyStats FromJson,
    [property: JsonPropertyName("decisions")] BenchDecision[] Decisions);
