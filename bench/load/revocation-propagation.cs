#:project ../../src/Writ.Core/Writ.Core.csproj

// Propagation latency, measured where it matters: an enforcement point (Writ's RevocationSubscriber, following
// /revocations/v1/events) rejecting a token, timed from the moment the admin's revocation call is sent.
// Usage: dotnet run -c Release bench/load/revocation-propagation.cs -- <writ url> <admin token> <revocations> [gap-ms]
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Writ.Core.Revocation;

var url = new Uri(args[0].TrimEnd('/') + "/");
var token = args[1];
var count = int.Parse(args[2], CultureInfo.InvariantCulture);
var gap = TimeSpan.FromMilliseconds(args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 20);
var run = Guid.NewGuid().ToString("N")[..8];

using var admin = new HttpClient { BaseAddress = url };
admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
var seen = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
var waiting = new ConcurrentDictionary<string, TaskCompletionSource>(StringComparer.Ordinal);
await using var subscriber = new RevocationSubscriber(
    new HttpClient { Timeout = Timeout.InfiniteTimeSpan },
    new RevocationSubscriberOptions { EventsUri = new Uri(url, "revocations/v1/events"), Authorization = _ => ValueTask.FromResult("Bearer " + token) },
    TimeProvider.System);

// The moment of rejection: the event is applied and IsRevoked answers true for the token's jti.
subscriber.Applied += e =>
{
    if (e.Kind == RevocationKind.Token && subscriber.IsRevoked(new RevocationQuery(DateTimeOffset.UtcNow, Jti: e.Subject)))
    {
        seen[e.Subject] = Stopwatch.GetTimestamp();
        if (waiting.TryRemove(e.Subject, out var done))
        {
            done.TrySetResult();
        }
    }
};
await subscriber.StartAsync(CancellationToken.None);
while (!subscriber.Connected)
{
    await Task.Delay(10);
}

var fromCall = new List<double>(count);
var afterAnswer = new List<double>(count);
var callOnly = new List<double>(count);
for (var i = -20; i < count; i++)
{
    var jti = $"bench-{run}-{i}";
    var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    waiting[jti] = done;
    var sent = Stopwatch.GetTimestamp();
    using (var response = await admin.PostAsync("admin/v1/revocations", new StringContent($"{{\"kind\":\"token\",\"id\":\"{jti}\"}}", Encoding.UTF8, "application/json")))
    {
        response.EnsureSuccessStatusCode();
    }

    var answered = Stopwatch.GetTimestamp();
    await done.Task.WaitAsync(TimeSpan.FromSeconds(30));
    var rejected = seen[jti];
    if (i >= 0)
    {
        // The first 20 warm the JIT, the connection pool and the store.
        fromCall.Add(Stopwatch.GetElapsedTime(sent, rejected).TotalMilliseconds);
        afterAnswer.Add(Math.Max(0, Stopwatch.GetElapsedTime(answered, rejected).TotalMilliseconds));
        callOnly.Add(Stopwatch.GetElapsedTime(sent, answered).TotalMilliseconds);
    }

    await Task.Delay(gap);
}

Console.WriteLine($"revocations {count}, subscriber connections {subscriber.Connections}");
Console.WriteLine("what                                   median ms   p99 ms   max ms");
Print("call sent -> enforcement point rejects", fromCall);
Print("call answered -> enforcement point rejects", afterAnswer);
Print("revocation call (durable log + audit)", callOnly);
return;

static void Print(string what, List<double> values)
{
    values.Sort();
    double At(double q) => values[Math.Min(values.Count - 1, (int)Math.Ceiling(q * values.Count) - 1)];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what,-40} {At(0.5),9:F2} {At(0.99),8:F2} {values[^1],8:F2}"));
}
