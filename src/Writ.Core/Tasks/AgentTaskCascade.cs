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
    private const int MaxTasks = 100_000;

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
        var tasks = await store.Tasks.ListAsync(new TaskQuery(Agent: name, State: TaskState.Active, Limit: MaxTasks), cancellationToken);

        // The cascade acts for the system: the actor's scope was checked on the agent or owner.
        return [.. tasks.Select(task => new RevocationRequest(RevocationKind.Task, task.Id, cause.Actor, null, revocation.Cause ?? cause.Cause))];
    }
}
