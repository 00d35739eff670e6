using System.Runtime.CompilerServices;
using Writ.Core.Storage;

namespace Writ.Core.Audit;

/// <summary>
/// Which audit log records the changes made through a store. Code that only holds the store (the
/// admin change log, capabilities built before the log) finds the log here; a store with no log
/// attached gets one that refuses every record, so nothing that must be audited happens unaudited.
/// </summary>
public static class AuditLogs
{
    private static readonly ConditionalWeakTable<IWritStore, IAuditLog> Attached = [];

    /// <summary>Makes <paramref name="log"/> the audit log of <paramref name="store"/>.</summary>
    public static void Attach(IWritStore store, IAuditLog log)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(log);
        Attached.AddOrUpdate(store, log);
    }

    /// <summary>The audit log of <paramref name="store"/>, or one that refuses every record when none is attached.</summary>
    public static IAuditLog For(IWritStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return Attached.TryGetValue(store, out var log) ? log : Unavailable.Instance;
    }

    private sealed class Unavailable : IAuditLog
    {
        public static readonly Unavailable Instance = new();

        public Task RecordDurableAsync(AuditEvent auditEvent, CancellationToken cancellationToken) =>
            Task.FromException(new AuditUnavailableException("no audit log is running for this store"));

        public ValueTask RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken) =>
            ValueTask.FromException(new AuditUnavailableException("no audit log is running for this store"));
    }
}
