// The constant-rate half of bench/load/gateway.sh (Debian has no wrk2): an open-loop load generator that starts one
// POST every 1/rate seconds whatever the answers do, and times each from just before it is sent to the end of its
// response body. Targets run in turn, round after round, so drift in the machine's load touches each alike.
// Usage: dotnet run -c Release gateway-rate.cs -- <calls-per-second> <seconds-per-round> <rounds> <label>=<url>...
// WRIT_TOKEN is sent as a bearer token to every target (a plain proxy forwards it; the upstream ignores it);
// WRIT_BODY is the request body. Prints one line per target and round, then one summary line per target; a call
// counts as served only when the upstream's answer came back (refusals are counted as failed, not timed).
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

var rate = int.Parse(args[0], CultureInfo.InvariantCulture);
var seconds = double.Parse(args[1], CultureInfo.InvariantCulture);
var rounds = int.Parse(args[2], CultureInfo.InvariantCulture);
var targets = args.Skip(3).Select(a => a.Split('=', 2)).Select(p => (Label: p[0], Url: new Uri(p[1]))).ToList();
var token = Environment.GetEnvironmentVariable("WRIT_TOKEN");
var body = Encoding.UTF8.GetBytes(Environment.GetEnvironmentVariable("WRIT_BODY") ?? "{}");

using var client = new HttpClient(new SocketsHttpHandler
{
    UseProxy = false,
    UseCookies = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
    MaxConnectionsPerServer = 512,
    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
})
{ Timeout = TimeSpan.FromSeconds(10) };

var all = targets.ToDictionary(t => t.Label, _ => new List<long>());
var failures = targets.ToDictionary(t => t.Label, _ => 0L);
Console.WriteLine($"open loop at {rate} calls/s, {seconds} s per round, {rounds} round(s), warm-up 3 s per target first");
foreach (var (label, url) in targets)
{
    await RunAsync(url, 3);
}

for (var round = 1; round <= rounds; round++)
{
    foreach (var (label, url) in targets)
    {
        var (latencies, failed, elapsed) = await RunAsync(url, seconds);
        all[label].AddRange(latencies);
        failures[label] += failed;
        latencies.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"round={round} target={label} calls={latencies.Count} failed={failed} per_s={latencies.Count / elapsed:0} p50_us={Percentile(latencies, 50):0} p99_us={Percentile(latencies, 99):0} load1={Load()}"));
    }
}

foreach (var (label, _) in targets)
{
    var latencies = all[label];
    latencies.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"rate_summary target={label} calls={latencies.Count} failed={failures[label]} p50_us={Percentile(latencies, 50):0} p90_us={Percentile(latencies, 90):0} p99_us={Percentile(latencies, 99):0} max_us={Percentile(latencies, 100):0}"));
}

return failures.Values.Sum() == 0 ? 0 : 1;

async Task<(List<long> Latencies, long Failed, double Elapsed)> RunAsync(Uri url, double duration)
{
    var count = (int)(rate * duration);
    var latencies = new long[count];
    var ok = new bool[count];
    var pending = new Task[count];
    var interval = Stopwatch.Frequency / (double)rate;
    var start = Stopwatch.GetTimestamp();
    for (var i = 0; i < count; i++)
    {
        var due = start + (long)(i * interval);
        // Sleeping in 1 ms steps keeps the generator off the servers' cores; calls that fell due meanwhile start at once.
        while (Stopwatch.GetTimestamp() < due)
        {
            Thread.Sleep(1);
        }

        pending[i] = SendAsync(url, i, latencies, ok);
    }

    await Task.WhenAll(pending);
    var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
    var good = new List<long>(count);
    long failed = 0;
    for (var i = 0; i < count; i++)
    {
        if (ok[i])
        {
            good.Add(latencies[i]);
        }
        else
        {
            failed++;
        }
    }

    return (good, failed, elapsed);
}

async Task SendAsync(Uri url, int index, long[] latencies, bool[] ok)
{
    await Task.Yield();
    using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
    request.Headers.Accept.ParseAdd("application/json, text/event-stream");
    if (!string.IsNullOrEmpty(token))
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    var sent = Stopwatch.GetTimestamp();
    try
    {
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        latencies[index] = (long)Stopwatch.GetElapsedTime(sent).TotalMicroseconds;
        // A call the gateway refused (e.g. its audit log shedding load) is a JSON-RPC error with status 200: only
        // the upstream's own answer counts as served.
        ok[index] = response.StatusCode == HttpStatusCode.OK && (await response.Content.ReadAsStringAsync()).Contains("42 open issues", StringComparison.Ordinal);
    }
    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
    {
        ok[index] = false;
    }
}

static double Percentile(List<long> sorted, double p) =>
    sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
