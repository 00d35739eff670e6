using System.Globalization;
using System.Text;
using Writ.Core.Revocation;
using Writ.Core.Storage;
using Writ.Server.Hosting;

namespace Writ.Server.Endpoints.Revocation;

/// <summary>
/// <c>GET /revocations/v1/events</c>: the revocation event log as Server-Sent Events. Each event carries
/// <c>id:</c> = its log id and one line of JSON; a reconnecting subscriber sends <c>Last-Event-ID</c> and
/// gets every event after it. Without one it gets every event still in force. Comment lines keep a
/// quiet connection alive.
/// </summary>
internal static class RevocationEventsEndpoint
{
    public const string Path = "/revocations/v1/events";
    private const int Page = 256;
    private static int s_connections;

    public static void Map(WebApplication app) => app.MapGet(Path, StreamAsync);

    private static async Task<IResult> StreamAsync(HttpContext http, RevocationFeed feed, IWritStore store, IssuerResolver issuer, RevocationStreamOptions options, TimeProvider time)
    {
        var caller = await StreamAuthentication.AuthenticateAsync(http, issuer.Issuer.TrimEnd('/') + Path);
        if (caller is null)
        {
            return StreamAuthentication.Challenge(http.Request);
        }

        if (caller.Refusal is { } refusal)
        {
            return new TaskTokenChallengeResult(refusal);
        }

        long last = 0;
        var lastHeader = http.Request.Headers["Last-Event-ID"];
        if (lastHeader.Count > 1 || (lastHeader.Count == 1 && !long.TryParse(lastHeader[0], NumberStyles.None, CultureInfo.InvariantCulture, out last)))
        {
            return Http.Problems.Invalid("invalid_last_event_id", "'Last-Event-ID' must be the decimal id of an event this stream sent");
        }

        // An id beyond the log (a restored or different database) would wait forever; start again from the beginning.
        if (last > 0 && last > await store.RevocationEvents.GetLatestIdAsync(http.RequestAborted))
        {
            last = 0;
        }

        if (Interlocked.Increment(ref s_connections) > options.MaxConnections)
        {
            Interlocked.Decrement(ref s_connections);
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Too many subscribers", detail: "this process serves its maximum of revocation stream connections; retry later or connect to another process");
        }

        // A task token's stream ends when the token expires; the agent's next connection is refused.
        using var expiry = caller.Until is { } until ? new CancellationTokenSource(Clamp(until - time.GetUtcNow()), TimeProvider.System) : null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, expiry?.Token ?? CancellationToken.None);
        try
        {
            await WriteAsync(http.Response, feed, last, options, caller.Filter, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The subscriber went away (it resumes with Last-Event-ID), or its task token expired.
        }
        catch (IOException)
        {
        }
        finally
        {
            Interlocked.Decrement(ref s_connections);
        }

        return Results.Empty;
    }

    private static TimeSpan Clamp(TimeSpan left) => left <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : left > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : left;

    private static async Task WriteAsync(HttpResponse response, RevocationFeed feed, long last, RevocationStreamOptions options, Func<RevocationEvent, bool>? filter, CancellationToken aborted)
    {
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.WriteAsync("retry: 1000\n\n", aborted);
        await response.Body.FlushAsync(aborted);

        var text = new StringBuilder();
        while (!aborted.IsCancellationRequested)
        {
            var wake = feed.Next;
            var batch = await feed.ReadAfterAsync(last, Page, aborted);
            if (batch.Count > 0)
            {
                text.Clear();
                foreach (var revocation in batch)
                {
                    last = revocation.Id;
                    if (filter is not null && !filter(revocation))
                    {
                        continue;
                    }

                    text.Append("id: ").Append(revocation.Id.ToString(CultureInfo.InvariantCulture)).Append("\nevent: revocation\ndata: ")
                        .Append(RevocationEventJson.Write(revocation)).Append("\n\n");
                }

                if (text.Length > 0)
                {
                    await response.WriteAsync(text.ToString(), aborted);
                    await response.Body.FlushAsync(aborted);
                }
                if (batch.Count == Page)
                {
                    continue;
                }
            }

            var heartbeat = Task.Delay(options.Heartbeat, TimeProvider.System, aborted);
            if (await Task.WhenAny(wake, heartbeat) == heartbeat)
            {
                await heartbeat;
                await response.WriteAsync(": keep-alive\n\n", aborted);
                await response.Body.FlushAsync(aborted);
            }
        }
    }
}
