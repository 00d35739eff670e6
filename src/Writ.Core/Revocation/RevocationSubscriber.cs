using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Writ.Core.Revocation;

/// <summary>
/// An enforcement point's view of revocations: follows Writ's Server-Sent Events stream with an
/// <see cref="HttpClient"/>, resumes with <c>Last-Event-ID</c> after every disconnect (with backoff), and
/// keeps a bounded <see cref="RevocationSet"/> whose lookups are lock-free. Start it with
/// <see cref="StartAsync"/>; it runs until disposed.
/// </summary>
public sealed class RevocationSubscriber : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly RevocationSubscriberOptions _options;
    private readonly TimeProvider _time;
    private readonly TimeProvider _scheduler;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _waiters = new();
    private readonly List<(long Id, TaskCompletionSource Done)> _waiting = [];
    private Task? _loop;
    private long _lastEventId;
    private int _connections;
    private volatile bool _connected;

    /// <summary>Creates a subscriber; <paramref name="time"/> decides expiry, waits run on the real clock.</summary>
    public RevocationSubscriber(HttpClient http, RevocationSubscriberOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _http = http;
        _options = options;
        _time = time;
        _scheduler = TimeProvider.System;
        Revocations = new RevocationSet(options.Capacity);
    }

    /// <summary>Called after each event is applied (on the subscriber's loop; keep it short).</summary>
    public event Action<RevocationEvent>? Applied;

    /// <summary>The revocations known so far.</summary>
    public RevocationSet Revocations { get; }

    /// <summary>The id of the last event applied; sent as <c>Last-Event-ID</c> on reconnection.</summary>
    public long LastEventId => Interlocked.Read(ref _lastEventId);

    /// <summary>True while a stream connection is open.</summary>
    public bool Connected => _connected;

    /// <summary>How many connections were opened so far (1 + reconnections).</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>True when a revocation held ends the token described by <paramref name="query"/>.</summary>
    public bool IsRevoked(in RevocationQuery query) => Revocations.IsRevoked(query);

    /// <summary>Starts following the stream in the background.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _loop ??= Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Completes once the event with id <paramref name="eventId"/> (or a later one) has been applied.</summary>
    public Task WaitForEventAsync(long eventId, CancellationToken cancellationToken)
    {
        TaskCompletionSource done;
        lock (_waiters)
        {
            if (LastEventId >= eventId)
            {
                return Task.CompletedTask;
            }

            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((eventId, done));
        }

        return done.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var backoff = _options.MinBackoff;
        var nextSweep = _time.GetUtcNow();
        while (!stop.IsCancellationRequested)
        {
            var received = false;
            try
            {
                received = await FollowOnceAsync(stop);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutException or JsonException or FormatException or InvalidDataException
                || (ex is OperationCanceledException && !stop.IsCancellationRequested))
            {
                // Lost or refused: resume from the last applied event after a pause.
            }
            finally
            {
                _connected = false;
            }

            if (stop.IsCancellationRequested)
            {
                return;
            }

            backoff = received ? _options.MinBackoff : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
            var jitter = TimeSpan.FromTicks((long)(backoff.Ticks * Random.Shared.NextDouble() * 0.2));
            await Task.Delay(backoff + jitter, _scheduler, stop).ContinueWith(static _ => { }, TaskScheduler.Default);
            if (_time.GetUtcNow() >= nextSweep)
            {
                Revocations.Sweep(_time.GetUtcNow());
                nextSweep = _time.GetUtcNow() + TimeSpan.FromSeconds(30);
            }
        }
    }

    // True when at least one event or heartbeat arrived, which resets the backoff.
    private async Task<bool> FollowOnceAsync(CancellationToken stop)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _options.EventsUri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.TryAddWithoutValidation("Authorization", await _options.Authorization(stop));
        var last = LastEventId;
        if (last > 0)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", last.ToString(CultureInfo.InvariantCulture));
        }

        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stop);
        idle.CancelAfter(_options.IdleTimeout);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, idle.Token);
        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            throw new HttpRequestException($"the revocation stream answered {(int)response.StatusCode}");
        }

        Interlocked.Increment(ref _connections);
        _connected = true;
        await using var body = await response.Content.ReadAsStreamAsync(idle.Token);
        using var reader = new StreamReader(body);
        var received = false;
        string? id = null;
        string? data = null;
        while (true)
        {
            var line = await reader.ReadLineAsync(idle.Token);
            if (line is null)
            {
                return received;
            }

            if (line.Length > _options.MaxLineLength)
            {
                throw new InvalidDataException("an event stream line is too long");
            }

            received = true;
            idle.CancelAfter(_options.IdleTimeout);
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    Apply(data, id);
                }

                id = null;
                data = null;
                continue;
            }

            if (line[0] == ':')
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? string.Empty : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id":
                    id = value;
                    break;
                case "data":
                    data = data is null ? value : data + "\n" + value;
                    break;
            }
        }
    }

    private void Apply(string data, string? id)
    {
        var revocation = RevocationEventJson.Read(data);
        if (id is not null && long.Parse(id, NumberStyles.None, CultureInfo.InvariantCulture) != revocation.Id)
        {
            throw new InvalidDataException("an event's id field differs from its data");
        }

        Revocations.Apply(revocation, _time.GetUtcNow());
        if (revocation.Id > LastEventId)
        {
            Interlocked.Exchange(ref _lastEventId, revocation.Id);
        }

        Applied?.Invoke(revocation);
        lock (_waiters)
        {
            for (var i = _waiting.Count - 1; i >= 0; i--)
            {
                if (_waiting[i].Id <= revocation.Id)
                {
                    _waiting[i].Done.TrySetResult();
                    _waiting.RemoveAt(i);
                }
            }
        }
    }
}
