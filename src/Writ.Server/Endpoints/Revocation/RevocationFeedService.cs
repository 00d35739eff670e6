using Writ.Core.Revocation;
using Writ.Core.Storage;

namespace Writ.Server.Endpoints.Revocation;

/// <summary>Runs this process's <see cref="RevocationFeed"/> for as long as the server runs, from when start-up (migrations) completed.</summary>
internal sealed partial class RevocationFeedService(
    RevocationFeed feed,
    IWritStore store,
    TimeProvider time,
    RevocationStreamOptions options,
    IHostApplicationLifetime lifetime,
    ILogger<RevocationFeedService> logger) : BackgroundService
{
    private static readonly TimeSpan PurgeEvery = TimeSpan.FromMinutes(10);

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

        await Task.WhenAll(
            feed.RunAsync(options.PollInterval, TimeProvider.System, ex => LogReadFailed(logger, ex), stoppingToken),
            PurgeAsync(stoppingToken));
    }

    // Events whose tokens have all expired matter to nobody; every process may purge, the deletes are idempotent.
    private async Task PurgeAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PurgeEvery, TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await store.RevocationEvents.PurgeExpiredAsync(time.GetUtcNow(), stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPurgeFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purging expired revocation events failed; retrying later")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the revocation event log failed; retrying")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);
}
