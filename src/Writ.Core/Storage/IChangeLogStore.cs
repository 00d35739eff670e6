using Writ.Core.Domain;

namespace Writ.Core.Storage;

/// <summary>Which admin token made which change (not the tamper-evident audit log; that comes later).</summary>
public interface IChangeLogStore
{
    /// <summary>Appends a record and returns it with its store-assigned id.</summary>
    Task<ChangeRecord> AppendAsync(ChangeRecord record, CancellationToken cancellationToken);

    /// <summary>The newest <paramref name="limit"/> records, newest first.</summary>
    Task<IReadOnlyList<ChangeRecord>> ListRecentAsync(int limit, CancellationToken cancellationToken);
}
