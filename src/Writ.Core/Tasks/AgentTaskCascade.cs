using Writ.Core.Domain;
using Writ.Core.Revocation;
using Writ.Core.Storage;

namespace Writ.Core.Tasks;

/// <summary>
/// A revoked agent (directly, or through its owner) takes its active tasks with it, and the decision
/// cache forgets the agent's status so the very next call is decided on the suspended record.
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
            || !SpiffeId.TryParse(revocation.Subject, out var spiffeId, out _)
            || !spiffeId.TryGetAgentName(out var name))
        {
            return [];
        }

        status.InvalidateAgent(name);

        // Each page is ended here so the next query moves on to tasks not yet seen; the task revoker then
        // announces each one and ends what was delegated from it.
        var requests = new List<RevocationRequest>();
        for (var page = 0; page < MaxPages; page++)
        {
            var tasks = await store.Tasks.ListAsync(new TaskQuery(Agent: name, State: TaskState.Active, Limit: PageSize), cancellationToken);
            foreach (var task in tasks)
            {
                var ended = await store.Tasks.EndAsync(task.Id, TaskState.Revoked, revocation.At, cause.Actor, cancellationToken);
                if (ended.Value is { } record)
                {
                    status.SetTask(record);
                }

                // The cascade acts for the system: the actor's scope was checked on the agent or owner.
                requests.Add(new RevocationRequest(RevocationKind.Task, task.Id, cause.Actor, null, revocation.Cause ?? cause.Cause));
            }

            if (tasks.Count < PageSize)
            {
                break;
            }
        }

        return requests;
    }
}
