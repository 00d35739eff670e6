using Writ.Core.Admin;
using Writ.Core.Revocation;
using Writ.Core.Storage;

namespace Writ.Core.Tasks;

/// <summary>
/// Revokes a task by id: it and every task delegated from it, directly or further down, end in the
/// revoked state, each with its own revocation event (the requested task's first) so enforcement points
/// drop every task id; the lease cascade then follows each event to the task's leases.
/// </summary>
public sealed class TaskRevoker(IWritStore store, StatusCache status, TaskOptions options) : IRevoker
{
    /// <inheritdoc />
    public RevocationKind Kind => RevocationKind.Task;

    /// <inheritdoc />
    public async Task<RevokerResult> RevokeAsync(RevocationRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!RevocationCoordinator.IsPlausibleSubject(request.Subject) || request.Subject.Length > 128)
        {
            return RevocationCoordinator.InvalidSubject(RevocationKind.Task);
        }

        var task = await store.Tasks.GetAsync(request.Subject, cancellationToken);

        // An owner-scoped actor learns nothing about other owners' tasks, not even that they exist.
        if (task is null || (request.ActorOwner is not null && !string.Equals(request.ActorOwner, task.Owner, StringComparison.Ordinal)))
        {
            return AdminError.NotFound("task_not_found", "no such task visible to this admin token");
        }

        await EndAsync(task, request.Actor, now, cancellationToken);

        // Announced even when the task had already ended: a repeated revocation must still reach enforcement points that missed the first.
        var events = new List<RevocationEvent> { Event(task, now, request.Cause) };
        foreach (var child in await store.Tasks.ListDescendantsAsync(task.Id, cancellationToken))
        {
            if (await EndAsync(child, request.Actor, now, cancellationToken))
            {
                events.Add(Event(child, now, request.Cause ?? $"ancestor task {task.Id} revoked"));
            }
        }

        return new RevokerResult(events, null);
    }

    /// <summary>The event that ends every token of <paramref name="task"/>: it matters until the last of them would have expired anyway.</summary>
    internal static RevocationEvent Event(TaskRecord task, DateTimeOffset now, string? cause, TimeSpan clockSkew)
    {
        var expires = task.ExpiresAt + clockSkew;
        return new RevocationEvent(0, now, RevocationKind.Task, task.Id, expires > now ? expires : now, cause);
    }

    private RevocationEvent Event(TaskRecord task, DateTimeOffset now, string? cause) => Event(task, now, cause, options.ClockSkew);

    private async Task<bool> EndAsync(TaskRecord task, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (task.State != TaskState.Active)
        {
            return false;
        }

        var ended = await store.Tasks.EndAsync(task.Id, TaskState.Revoked, now, actor, cancellationToken);
        if (ended.Value is { } record)
        {
            status.SetTask(record);
        }

        return ended.Succeeded;
    }
}
