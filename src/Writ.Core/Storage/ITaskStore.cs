using Writ.Core.Tasks;

namespace Writ.Core.Storage;

/// <summary>Tasks and their lifecycle. A task leaves <see cref="TaskState.Active"/> once, and never returns.</summary>
public interface ITaskStore
{
    /// <summary>
    /// Adds a task. <see cref="StoreOutcome.AlreadyExists"/> when the id is taken;
    /// <see cref="StoreOutcome.ReferenceNotFound"/> when its agent, owner or parent task does not exist.
    /// </summary>
    Task<StoreResult> AddAsync(TaskRecord task, CancellationToken cancellationToken);

    /// <summary>The task with this id, or null.</summary>
    Task<TaskRecord?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Tasks matching <paramref name="query"/>, newest first (by creation time, then id).</summary>
    Task<IReadOnlyList<TaskRecord>> ListAsync(TaskQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Ends an active task: sets <paramref name="state"/> (not <see cref="TaskState.Active"/>), <c>EndedAt</c> and
    /// <c>EndedBy</c>. <see cref="StoreOutcome.NotFound"/> for an unknown id; <see cref="StoreOutcome.AlreadyExists"/>
    /// when the task had already ended (the stored task is returned unchanged as the value).
    /// </summary>
    Task<StoreResult<TaskRecord>> EndAsync(string id, TaskState state, DateTimeOffset at, string endedBy, CancellationToken cancellationToken);

    /// <summary>Every task below <paramref name="id"/> in its delegation tree (children, grandchildren, …), in creation order.</summary>
    Task<IReadOnlyList<TaskRecord>> ListDescendantsAsync(string id, CancellationToken cancellationToken);

    /// <summary>Marks every active task whose <c>ExpiresAt</c> is at or before <paramref name="now"/> as expired; returns them as ended.</summary>
    Task<IReadOnlyList<TaskRecord>> ExpireAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
