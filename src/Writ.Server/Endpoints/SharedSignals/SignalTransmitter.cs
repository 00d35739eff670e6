using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Writ.Core.Keys;
using Writ.Core.Revocation;
using Writ.Core.Storage;

namespace Writ.Server.Endpoints.SharedSignals;

/// <summary>
/// The Shared Signals transmitter: turns each new revocation event into a SET for every enabled stream
/// that asked for its event type (moving the stream's cursor with a compare-and-set, so several
/// processes queue each SET once), and pushes queued SETs of push streams (RFC 8935), in order, with
/// exponential backoff while a receiver fails. Poll streams are drained by the poll endpoint.
/// </summary>
internal sealed partial class SignalTransmitter(
    IWritStore store,
    RevocationFeed feed,
    SecurityEventTokenWriter writer,
    RootKey rootKey,
    IHttpClientFactory httpClients,
    IHostApplicationLifetime lifetime,
    ILogger<SignalTransmitter> logger) : BackgroundService
{
    public const string HttpClientName = "writ-ssf-push";
    internal const string AuthorizationPurpose = "ssf push authorization v1";
    private const int Batch = 200;
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset Next)> _backoff = new(StringComparer.Ordinal);
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _queued = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when SETs were queued next; the poll endpoint's long poll waits on it.</summary>
    public Task Queued => Volatile.Read(ref _queued).Task;

    public static string AssociatedData(string streamId) => "stream=" + streamId;

    /// <summary>Asks for a pass now (a verification SET was queued, a stream was enabled).</summary>
    public void Wake()
    {
        Interlocked.Exchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        Interlocked.Exchange(ref _queued, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, lifetime.ApplicationStarted).ContinueWith(static _ => { }, TaskScheduler.Default);
            while (!stoppingToken.IsCancellationRequested)
            {
                var wake = Task.WhenAny(feed.Next, Volatile.Read(ref _wake).Task);
                try
                {
                    await PassAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPassFailed(logger, ex);
                }

                await Task.WhenAny(wake, Task.Delay(Idle, TimeProvider.System, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PassAsync(CancellationToken cancellationToken)
    {
        var queuedAny = false;
        foreach (var stream in await store.RevocationEvents.ListStreamsAsync(cancellationToken))
        {
            if (stream.Status != StreamStatus.Paused)
            {
                queuedAny |= await QueueAsync(stream, cancellationToken);
            }
        }

        if (queuedAny)
        {
            Interlocked.Exchange(ref _queued, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }

        foreach (var stream in await store.RevocationEvents.ListStreamsAsync(cancellationToken))
        {
            if (stream.DeliveryMethod == SharedSignalsEvents.Push && stream.Status == StreamStatus.Enabled)
            {
                await PushAsync(stream, cancellationToken);
            }
        }
    }

    private async Task<bool> QueueAsync(SignalStream stream, CancellationToken cancellationToken)
    {
        var events = await feed.ReadAfterAsync(stream.Cursor, Batch, cancellationToken);
        if (events.Count == 0)
        {
            return false;
        }

        var delivered = StreamViews.Delivered(stream);
        var sets = new List<QueuedSet>();
        if (stream.Status == StreamStatus.Enabled)
        {
            foreach (var revocation in events)
            {
                if (delivered.Contains(SharedSignalsEvents.For(revocation.Kind)))
                {
                    sets.Add(await writer.ForRevocationAsync(revocation, stream.Audience, cancellationToken));
                }
            }
        }

        // Disabled streams skip what happens meanwhile (SSF: events are not held); another process may have queued these already.
        return await store.RevocationEvents.EnqueueAsync(stream.Id, stream.Cursor, events[^1].Id, sets, cancellationToken) && sets.Count > 0;
    }

    private async Task PushAsync(SignalStream stream, CancellationToken cancellationToken)
    {
        if (_backoff.TryGetValue(stream.Id, out var state) && state.Next > DateTimeOffset.UtcNow)
        {
            return;
        }

        var authorization = stream.ProtectedAuthorization is null
            ? null
            : rootKey.TryOpen(stream.ProtectedAuthorization, AuthorizationPurpose, AssociatedData(stream.Id));
        using var http = httpClients.CreateClient(HttpClientName);
        foreach (var set in await store.RevocationEvents.PeekQueueAsync(stream.Id, Batch, cancellationToken))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, stream.EndpointUrl) { Content = new StringContent(set.Token, Encoding.ASCII) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/secevent+jwt");
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (authorization is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", Encoding.UTF8.GetString(authorization));
            }

            HttpStatusCode? status = null;
            try
            {
                using var response = await http.SendAsync(request, cancellationToken);
                status = response.StatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                LogPushUnreachable(logger, stream.Id, ex.GetType().Name);
            }

            if (status is HttpStatusCode.Accepted or HttpStatusCode.OK or HttpStatusCode.NoContent)
            {
                await store.RevocationEvents.AcknowledgeAsync(stream.Id, [set.Jti], cancellationToken);
                _backoff.TryRemove(stream.Id, out _);
                continue;
            }

            if (status == HttpStatusCode.BadRequest)
            {
                // RFC 8935 §2.3: the receiver refused this SET for good; retrying would repeat the refusal.
                LogPushRefused(logger, stream.Id, set.Jti);
                await store.RevocationEvents.AcknowledgeAsync(stream.Id, [set.Jti], cancellationToken);
                continue;
            }

            var failures = (_backoff.TryGetValue(stream.Id, out var previous) ? previous.Failures : 0) + 1;
            var delay = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(1).Ticks << Math.Min(failures - 1, 16), MaxBackoff.Ticks));
            _backoff[stream.Id] = (failures, DateTimeOffset.UtcNow + delay);
            if (status is not null)
            {
                LogPushFailed(logger, stream.Id, (int)status.Value, delay.TotalSeconds);
            }

            return;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shared Signals transmitter pass failed; retrying")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Push to stream {StreamId} could not reach the receiver ({Error}); retrying with backoff")]
    private static partial void LogPushUnreachable(ILogger logger, string streamId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Push to stream {StreamId} answered {Status}; next try in {Seconds} s")]
    private static partial void LogPushFailed(ILogger logger, string streamId, int status, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Receiver of stream {StreamId} refused SET {Jti} (400); not retried")]
    private static partial void LogPushRefused(ILogger logger, string streamId, string jti);
}
