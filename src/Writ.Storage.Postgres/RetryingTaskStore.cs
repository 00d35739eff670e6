using Writ.Core.Storage;
using Writ.Core.Tasks;
using static Writ.Storage.Postgres.BrokenConnectionRetry;

namespace Writ.Storage.Postgres;

/// <summary>The task store with one more try on a broken session (see <see cref="BrokenConnectionRetry"/>).</summary>
internal sealed class RetryingTaskStore(ITaskStore inner) : ITaskStore
{
    public Task<StoreResult> AddAsync(TaskRecord task, CancellationToken cancellationToken) => RunAsync(() => inner.AddAsync(task, cancellationToken));

    public Task<TaskRecord?> GetAsync(string id, CancellationToken cancellationToken) => RunAsync(() => inner.GetAsync(id, cancellationToken));

    public Task<IReadOnlyList<TaskRecord>> ListAsync(TaskQuery query, CancellationToken cancellationToken) => RunAsync(() => inner.ListAsync(query, cancellationToken));

    // A repeated end finds the task already ended by the first attempt and answers AlreadyExists: refuses rather than grants.
    public Task<StoreResult<TaskRecord>> EndAsync(string id, TaskState state, DateTimeOffset at, string endedBy, CancellationToken cancellationToken) =>
        RunAsync(() => inner.EndAsync(id, state, at, endedBy, cancellationToken));

    public Task<IReadOnlyList<TaskRecord>> ListDescendantsAsync(string id, CancellationToken cancellationToken) => RunAsync(() => inner.ListDescendantsAsync(id, cancellationToken));

    public Task<IReadOnlyList<TaskRecord>> ExpireAsync(DateTimeOffset now, CancellationToken cancellationToken) => RunAsync(() => inner.ExpireAsync(now, cancellationToken));
}
