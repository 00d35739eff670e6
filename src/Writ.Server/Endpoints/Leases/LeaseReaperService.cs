using Writ.Core.Leases;
using Writ.Core.Storage;

namespace Writ.Server.Endpoints.Leases;

/// <summary>
/// Runs the reaper every <see cref="Interval"/> on the configured <see cref="TimeProvider"/>: ends
/// expired leases and retries failed revocations. A failing pass is logged and the next one tries again.
/// </summary>
internal sealed partial class LeaseReaperService(LeaseReaping reaping, IWritStore store, TimeProvider time, ILogger<LeaseReaperService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunPassAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    public async Task RunPassAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var lease in await reaping.RunOnceAsync(cancellationToken))
            {
                LeaseTelemetry.Ended.Add(1, new KeyValuePair<string, object?>("kind", LeaseNames.Of(lease.Kind)), new KeyValuePair<string, object?>("outcome", LeaseNames.Of(lease.State)));
                if (lease.State == LeaseState.FailedRevocation)
                {
                    LogStuck(lease.Id, lease.Connection, lease.RevocationAttempts, lease.LastError);
                }
            }

            LeaseTelemetry.SetStuck(await store.Leases.CountAsync(LeaseState.FailedRevocation, cancellationToken));
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or Core.Audit.AuditUnavailableException or IOException)
        {
            LogPassFailed(ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease {LeaseId} from connection {Connection} could not be revoked (attempt {Attempts}): {Error}; retrying with backoff")]
    private partial void LogStuck(string leaseId, string? connection, int attempts, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lease reaper pass failed ({Error}); the next pass tries again")]
    private partial void LogPassFailed(string error);
}
