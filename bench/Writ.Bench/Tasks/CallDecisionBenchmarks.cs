using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Writ.Bench.Cedar;
using Writ.Cedar.Authorization;

namespace Writ.Bench.Tasks;

/// <summary>
/// The in-process CallTool decision (intent check, task and agent status through the cache, entities
/// built for the call, Cedar, the audit hand-off) next to a bare Writ.Cedar authorization of the very
/// request it ends up asking, with entities and context built beforehand. Per-call p99 comes from a
/// separate pass of individually timed calls in the same process (see <see cref="PerCallLatency"/>).
/// </summary>
[MemoryDiagnoser]
[InProcess]
public class CallDecisionBenchmarks
{
    private DecisionFixture _fixture = null!;

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new DecisionFixture();
        if (!Bare() || !Decider())
        {
            throw new InvalidOperationException("the benchmark call must be allowed on both paths");
        }
    }

    [Benchmark(Baseline = true, Description = "bare Writ.Cedar IsAuthorized")]
    public bool Bare() => Authorizer.IsAuthorized(_fixture.Request, _fixture.Policies, _fixture.Entities).IsAllowed;

    [Benchmark(Description = "CallDecider (intent + status + Cedar + audit)")]
    public bool Decider()
    {
        var pending = _fixture.Decider.DecideAsync(_fixture.Claims, _fixture.Call, CancellationToken.None);
        return (pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult()).Allowed;
    }

    [GlobalCleanup]
    public void Cleanup() => PerCallLatency.Report(this);
}

/// <summary>Times individual calls (Stopwatch timestamps around each) after the BenchmarkDotNet pass, and prints median and p99.</summary>
internal static class PerCallLatency
{
    private const int Calls = 500_000;
    private const int Block = 1_000;
    private static readonly HashSet<string> Reported = [];

    public static void Report(CallDecisionBenchmarks benchmarks)
    {
        lock (Reported)
        {
            if (!Reported.Add("done"))
            {
                return;
            }
        }

        var (bare, decider) = Measure(benchmarks.Bare, benchmarks.Decider);
        Console.WriteLine($"// per-call latency over {Calls:N0} calls each, interleaved in blocks of {Block:N0} (µs): bare median {bare.MedianUs:F3} p99 {bare.P99Us:F3}; decider median {decider.MedianUs:F3} p99 {decider.P99Us:F3}; median ratio {decider.MedianUs / bare.MedianUs:F2}");
    }

    /// <summary>
    /// Times both calls in alternating blocks, so that a change in the machine's load during the pass touches both
    /// alike (the machine is shared); each call is timed alone.
    /// </summary>
    private static (LatencyStats First, LatencyStats Second) Measure(Func<bool> first, Func<bool> second)
    {
        for (var i = 0; i < 50_000; i++)
        {
            first();
            second();
        }

        var a = new long[Calls];
        var b = new long[Calls];
        for (var offset = 0; offset < Calls; offset += Block)
        {
            TimeBlock(first, a, offset);
            TimeBlock(second, b, offset);
        }

        return (LatencyStats.FromTicks(a), LatencyStats.FromTicks(b));
    }

    private static void TimeBlock(Func<bool> call, long[] ticks, int offset)
    {
        for (var i = offset; i < offset + Block; i++)
        {
            var start = Stopwatch.GetTimestamp();
            call();
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }
    }
}
