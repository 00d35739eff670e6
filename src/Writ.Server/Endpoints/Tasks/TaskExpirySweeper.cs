using Writ.Core.Audit;
using Writ.Core.Tasks;

namespace Writ.Server.Endpoints.Tasks;

/// <summary>Marks tasks past their expiry as expired every <see cref="Interval"/> (on Writ's clock), so the store and the audit log say so without anyone asking.</summary>
internal sealed partial class TaskExpirySweeper(TaskLifecycle tasks, TimeProvider time, ILogger<TaskExpirySweeper> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var expired = await tasks.ExpireDueAsync(stoppingToken);
                    if (expired > 0)
                    {
                        LogExpired(logger, expired);
                    }
                }
                catch (Exception ex) when (ex is AuditUnavailableException or System.Data.Common.DbException)
                {
                    // The next tick tries again; decisions deny expired tasks by their exp meanwhile.
                    LogSweepFailed(logger, ex.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "marked {Count} tasks expired")]
    private static partial void LogExpired(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "task expiry sweep failed ({Error}); retrying at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, string error);
}
