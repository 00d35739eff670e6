using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Writ.Sdk;

/// <summary>
/// Follows Writ's revocation stream with the task's own token (Writ sends only the events that end that token) and
/// ends the task here at the first one. Reconnects with backoff and <c>Last-Event-ID</c>; a <c>401 invalid_token</c>
/// from the stream means Writ no longer accepts the token, which ends the task too.
/// </summary>
internal sealed class TaskRevocationWatcher : IAsyncDisposable
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private readonly AgentTask task;
    private readonly WritHttp writ;
    private readonly HttpClient http;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private long lastEventId;

    public TaskRevocationWatcher(AgentTask task, WritHttp writ, HttpMessageHandler? handler)
    {
        this.task = task;
        this.writ = writ;
        http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.Timeout = Timeout.InfiniteTimeSpan;
        loop = Task.Run(() => RunAsync(stop.Token));
    }

    /// <summary>How many stream connections were opened (for tests and diagnostics).</summary>
    public int Connections { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        http.Dispose();
        stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = MinBackoff;
        while (!cancellationToken.IsCancellationRequested && task.State == AgentTaskState.Active)
        {
            try
            {
                if (await FollowOnceAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                backoff = MinBackoff;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException or FormatException or WritException
                || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Unreachable or cut: try again; the token's own expiry still ends the task on this clock.
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }

            try
            {
                await Task.Delay(backoff + TimeSpan.FromTicks((long)(backoff.Ticks * Random.Shared.NextDouble() * 0.2)), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    // True once the task was ended by what the stream said.
    private async Task<bool> FollowOnceAsync(CancellationToken cancellationToken)
    {
        var endpoint = (await writ.GetEndpointsAsync(cancellationToken).ConfigureAwait(false)).RevocationEventsEndpoint;
        using var request = new HttpRequestMessage(HttpMethod.Get, endpoint);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Authorization = new AuthenticationHeaderValue(task.IsKeyBound ? "DPoP" : "Bearer", task.Token);
        if (task.Key is { } key)
        {
            request.Headers.Add("DPoP", key.CreateProof("GET", endpoint, task.Token));
        }

        if (lastEventId > 0)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId.ToString(CultureInfo.InvariantCulture));
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized && response.Headers.WwwAuthenticate.ToString().Contains("invalid_token", StringComparison.Ordinal))
        {
            var body = await WritHttp.ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
            task.MarkRevoked(WritHttp.String(body, "error_description") ?? "Writ no longer accepts its token", 401);
            return true;
        }

        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            throw new HttpRequestException($"the revocation stream answered {(int)response.StatusCode}");
        }

        Connections++;
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        string? data = null;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length > 64 * 1024)
            {
                throw new IOException("an event stream line is too long");
            }

            if (line.StartsWith("id:", StringComparison.Ordinal) && long.TryParse(line.AsSpan(3).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                lastEventId = id;
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data = line[5..].TrimStart(' ');
            }
            else if (line.Length == 0 && data is not null)
            {
                // Writ sends this stream only events that end this task's token.
                using var json = JsonDocument.Parse(data);
                var kind = WritHttp.String(json.RootElement, "kind") ?? "revocation";
                var cause = WritHttp.String(json.RootElement, "cause");
                task.MarkRevoked($"Writ announced a {kind} revocation" + (cause is null ? string.Empty : ": " + cause), null);
                return true;
            }
        }

        return false;
    }
}
