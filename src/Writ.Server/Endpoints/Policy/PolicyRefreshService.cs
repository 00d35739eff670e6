using Writ.Core.Policy;

namespace Writ.Server.Endpoints.Policy;

/// <summary>
/// Loads the active policy set and the named stores once every hosted service has started (the schema migrations
/// run in one), then checks the store every <see cref="Interval"/>, so servers sharing a database converge within
/// about a second of an activation elsewhere. Until the first load a server decides with the empty set (deny).
/// </summary>
internal sealed partial class PolicyRefreshService(PolicySetRefresher policySets, NamedStoreCache stores, TimeProvider time, ILogger<PolicyRefreshService> logger)
    : IHostedLifecycleService, IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        await policySets.RefreshAsync(cancellationToken);
        await stores.RefreshAsync(cancellationToken);
        _loop = Task.Run(() => LoopAsync(_stopping.Token), CancellationToken.None);
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => _stopping.CancelAsync();

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _stopping.Dispose();

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (await policySets.RefreshAsync(stoppingToken))
                    {
                        LogRefreshed(logger);
                    }

                    await stores.RefreshAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The current policies keep deciding; the next tick tries again.
                    LogRefreshFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Activated the policy set version stored by another server")]
    private static partial void LogRefreshed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh policies from the store; the current ones keep deciding")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
