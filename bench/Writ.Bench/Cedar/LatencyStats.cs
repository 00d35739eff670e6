using System.Diagnostics;
using System.Text.Json.Serialization;

namespace Writ.Bench.Cedar;

/// <summary>Per-call latencies summarised in microseconds.</summary>
internal sealed record LatencyStats(
    [property: JsonPropertyName("calls")] int Calls,
    [property: JsonPropertyName("medianUs")] double MedianUs,
    [property: JsonPropertyName("p99Us")] double P99Us,
    [property: JsonPropertyName("meanUs")] double MeanUs)
{
    /// <summary>Summarises Stopwatch tick counts; the array is sorted in place.</summary>
    public static LatencyStats FromTicks(long[] ticks)
    {
        Array.Sort(ticks);
        var toUs = 1_000_000.0 / Stopwatch.Frequency;
        return new LatencyStats(ticks.Length, Rank(ticks, 0.50) * toUs, Rank(ticks, 0.99) * toUs, ticks.Average() * toUs);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static long Rank(long[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
