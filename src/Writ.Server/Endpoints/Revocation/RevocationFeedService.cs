using Writ.Core.Revocation;

namespace Writ.Server.Endpoints.Revocation;

/// <summary>Runs this process's <see cref="RevocationFeed"/> for as long as the server runs, from when start-up (migrations) completed.</summary>
internal sealed partial class RevocationFeedService(RevocationFeed feed, RevocationStreamOptions options, IHostApplicationLifetime lifetime, ILogger<RevocationFeedService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        await feed.RunAsync(options.PollInterval, TimeProvider.System, ex => LogReadFailed(logger, ex), stoppingToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the revocation event log failed; retrying")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);
}
