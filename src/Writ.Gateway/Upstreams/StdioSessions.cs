using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Writ.Core.Tasks;
using Writ.Gateway.Configuration;
using Writ.Gateway.Sessions;

namespace Writ.Gateway.Upstreams;

/// <summary>
/// Bridges Streamable HTTP to MCP servers over stdio: one process per MCP session, launched on
/// <c>initialize</c> and bound to the task and agent that started it until the last of that task's tokens that used it expires. Messages of a POST go to the process's
/// stdin one per line; the POST is answered with the responses to its requests; messages the server
/// sends on its own (requests, notifications) are delivered on the session's GET event stream.
/// </summary>
internal sealed class StdioSessions(TimeProvider time) : IAsyncDisposable
{
    private const int MaxSessions = 256;
    private const int MaxLineBytes = 4 * 1024 * 1024;
    private readonly ConcurrentDictionary<string, StdioSession> sessions = new(StringComparer.Ordinal);

    public int Count => sessions.Count;

    /// <summary>Launches the route's command for a new session of <paramref name="task"/>; null when too many are open.</summary>
    public async Task<StdioSession?> StartAsync(GatewayRoute route, TaskTokenClaims task)
    {
        if (sessions.Count >= MaxSessions)
        {
            var now = time.GetUtcNow();
            foreach (var expired in sessions.Values.Where(s => s.ExpiresAt <= now).ToList())
            {
                await EndAsync(expired);
            }

            if (sessions.Count >= MaxSessions)
            {
                return null;
            }
        }

        var start = new ProcessStartInfo(route.Command!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = new UTF8Encoding(false),
        };
        foreach (var arg in route.Args)
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("the stdio server did not start");
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var session = new StdioSession(id, route.Path, SessionOwner.Of(task), task.ExpiresAt, process);
        sessions[id] = session;
        session.Exited += () => sessions.TryRemove(id, out _);
        return session;
    }

    /// <summary>Whether <paramref name="task"/> may use session <paramref name="id"/> on <paramref name="routePath"/>; an expired session is ended.</summary>
    public async Task<SessionCheck> CheckAsync(string id, string routePath, TaskTokenClaims task)
    {
        if (!sessions.TryGetValue(id, out var session) || !string.Equals(session.RoutePath, routePath, StringComparison.Ordinal))
        {
            return SessionCheck.Unknown;
        }

        if (session.ExpiresAt <= time.GetUtcNow())
        {
            await EndAsync(session);
            return SessionCheck.Unknown;
        }

        if (!session.Owner.Owns(task))
        {
            return SessionCheck.Foreign;
        }

        session.Extend(task.ExpiresAt);
        return SessionCheck.Owned;
    }

    /// <summary>The session with <paramref name="id"/> on <paramref name="routePath"/>, when it belongs to <paramref name="task"/>.</summary>
    public StdioSession? Find(string? id, string routePath, TaskTokenClaims task) =>
        id is not null && sessions.TryGetValue(id, out var s) && s.RoutePath == routePath && s.Owner.Owns(task) ? s : null;

    public async Task EndAsync(StdioSession session)
    {
        sessions.TryRemove(session.Id, out _);
        await session.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var session in sessions.Values)
        {
            await session.DisposeAsync();
        }

        sessions.Clear();
    }

    internal static int LineLimit => MaxLineBytes;
}

/// <summary>One stdio server process serving one MCP session.</summary>
internal sealed class StdioSession : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> waiting = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly Task reader;

    private long expiresAtTicks;

    public StdioSession(string id, string routePath, SessionOwner owner, DateTimeOffset expiresAt, Process process)
    {
        Id = id;
        RoutePath = routePath;
        Owner = owner;
        expiresAtTicks = expiresAt.UtcTicks;
        this.process = process;
        reader = Task.Run(ReadAsync);
    }

    public event Action? Exited;

    public string Id { get; }

    public string RoutePath { get; }

    public SessionOwner Owner { get; }

    /// <summary>When the last task token that used the session expires.</summary>
    public DateTimeOffset ExpiresAt => new(Interlocked.Read(ref expiresAtTicks), TimeSpan.Zero);

    /// <summary>Keeps the session as long as a later token of its task.</summary>
    public void Extend(DateTimeOffset expiresAt)
    {
        long current;
        while ((current = Interlocked.Read(ref expiresAtTicks)) < expiresAt.UtcTicks
            && Interlocked.CompareExchange(ref expiresAtTicks, expiresAt.UtcTicks, current) != current)
        {
            // Raced with another extension; read again.
        }
    }

    /// <summary>Messages the server sent on its own, for the GET event stream.</summary>
    public Channel<string> ServerMessages { get; } = Channel.CreateBounded<string>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });

    /// <summary>Writes the messages and waits for the responses to <paramref name="requestIds"/>, in that order.</summary>
    public async Task<string[]> ExchangeAsync(IReadOnlyList<string> lines, IReadOnlyList<string> requestIds, CancellationToken cancellationToken)
    {
        var pending = requestIds.Select(id =>
        {
            var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting[id] = done;
            return done.Task;
        }).ToArray();
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            foreach (var line in lines)
            {
                await process.StandardInput.WriteLineAsync(line.AsMemory(), cancellationToken);
            }

            await process.StandardInput.FlushAsync(cancellationToken);
        }
        finally
        {
            writeLock.Release();
        }

        try
        {
            return await Task.WhenAll(pending).WaitAsync(cancellationToken);
        }
        finally
        {
            foreach (var id in requestIds)
            {
                waiting.TryRemove(id, out _);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        await reader.ConfigureAwait(false);
        process.Dispose();
        writeLock.Dispose();
    }

    private async Task ReadAsync()
    {
        try
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.Length == 0 || line.Length > StdioSessions.LineLimit)
                {
                    continue;
                }

                string? responseId = null;
                try
                {
                    using var message = JsonDocument.Parse(line);
                    var root = message.RootElement;
                    if (root.ValueKind == JsonValueKind.Object && !root.TryGetProperty("method", out _) && root.TryGetProperty("id", out var id))
                    {
                        responseId = id.GetRawText();
                    }
                }
                catch (JsonException)
                {
                    // Not JSON-RPC: a stdio server must only write messages to stdout; drop the line.
                    continue;
                }

                if (responseId is not null && waiting.TryRemove(responseId, out var done))
                {
                    done.TrySetResult(line);
                }
                else
                {
                    ServerMessages.Writer.TryWrite(line);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process went away.
        }
        finally
        {
            foreach (var done in waiting.Values)
            {
                done.TrySetException(new IOException("the stdio server exited"));
            }

            ServerMessages.Writer.TryComplete();
            Exited?.Invoke();
        }
    }
}
