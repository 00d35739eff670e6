using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Writ.Server.Tests.SharedSignals;

/// <summary>Every log line the server writes from now on, with exception text, so a test can search it for secrets.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public static CapturedLogs AttachTo(IServiceProvider services)
    {
        var logs = new CapturedLogs();
        services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        return logs;
    }

    public string Text => string.Join('\n', _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._lines.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {exception}");
    }
}
