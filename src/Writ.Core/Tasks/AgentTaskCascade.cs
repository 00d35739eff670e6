using Writ.Core.Domain;
using Writ.Core.Revocation;
using Writ.Core.Storage;

namespace Writ.Core.Tasks;

/// <summary>
/// An owner's revocation takes the active tasks of each of the owner's agents with it, and the decision
/// cache forgets each agent's status so the very next call is decided on the suspended record. (A direct
/// agent revocation ends the tasks in <see cref="AgentChangeRevoker"/>; suspending an agent through the
/// agent API only pauses its tasks, which run again when it is resumed.)
/// </summary>
public sealed class AgentTaskCascade(IWritStore store, StatusCache status) : IRevocationCascade
{
    private const int PageSize = 1000;
    private const int MaxPages = 100;

    /// <inheritdoc />
    public async Task<IReadOnlyList<RevocationRequest>> FollowAsync(RevocationEvent revocation, RevocationRequest cause, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revocation);
        ArgumentNullException.ThrowIfNull(cause);
        if (revocation.Kind != RevocationKind.Agent
            || cause.Kind != RevocationKind.Owner
            || !SpiffeId.TryParse(revocation.Subject, out var spiffeId, out _)
            || !spiffeId.TryGetAgentName(out var name))
        {
            return [];
        }

        status.InvalidateAgent(name);
        var ended = await EndActiveTasksAsync(store, status, name, revocation.At, cause.Actor, cancellationToken);

        // The cascade acts for the system: the actor's scope was checked on the owner.
        return [.. ended.Select(id => new RevocationRequest(RevocationKind.Task, id, cause.Actor, null, revocation.Cause ?? cause.Cause))];
    }

    /// <summary>
    /// Ends every active task the agent runs (state revoked) and returns their ids. Each page is ended before
    /// the next is read, so the query moves on to tasks not yet seen.
    /// </summary>
    internal static async Task<IReadOnlyList<string>> EndActiveTasksAsync(IWritStore store, StatusCache status, string agent, DateTimeOffset at, string actor, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        for (var page = 0; page < MaxPages; page++)
        {
            var tasks = await store.Tasks.ListAsync(new TaskQuery(Agent: agent, State: TaskState.Active, Limit: PageSize), cancellationToken);
            foreach (var task in tasks)
            {
                var ended = await store.Tasks.EndAsync(task.Id, TaskState.Revoked, at, actor, cancellationToken);
                if (ended.Value is { } record)
                {
                    status.SetTask(record);
                }

                ids.Add(task.Id);
            }

            if (tasks.Count < PageSize)
            {
                break;
            }
        }

        return ids;
    }
}
