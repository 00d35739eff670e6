using Writ.Core.Storage;

namespace Writ.Server.Hosting;

/// <summary>
/// Purges bookkeeping that has outlived its purpose: replay entries and revocations of tokens that have
/// expired anyway, and join tokens a day after they expired (kept that long for investigations).
/// </summary>
internal sealed partial class Housekeeping(IWritStore store, TimeProvider time, ILogger<Housekeeping> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan JoinTokenRetention = TimeSpan.FromDays(1);

    /// <summary>One purge pass; returns the number of rows removed.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var removed = await store.ReplayCache.PurgeExpiredAsync(now, cancellationToken);
        removed += await store.Revocations.PurgeExpiredAsync(now, cancellationToken);
        removed += await store.JoinTokens.PurgeExpiredAsync(now - JoinTokenRetention, cancellationToken);
        return removed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await NextTickAsync(timer, stoppingToken))
        {
            try
            {
                var removed = await PurgeAsync(stoppingToken);
                if (removed > 0)
                {
                    LogPurged(removed);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Housekeeping failing must not stop the server; the next pass tries again.
                LogFailed(ex);
            }
        }
    }

    // A host that fails to start cancels before the first tick; that is a normal stop, not a crash to log.
    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Housekeeping removed {Count} expired replay, revocation and join token entries")]
    private partial void LogPurged(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Housekeeping pass failed")]
    private partial void LogFailed(Exception exception);
}
