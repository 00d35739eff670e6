using Writ.Core.Audit;

namespace Writ.Server.Hosting;

/// <summary>
/// Creates the audit log with the host (so it is attached to the store before any request) and
/// flushes it when the host stops, after the server stopped taking requests. The signing key is
/// loaded on first use, once the store is migrated.
/// </summary>
internal sealed class AuditLogHost(AuditLogService log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => log.StopAsync(cancellationToken);
}
