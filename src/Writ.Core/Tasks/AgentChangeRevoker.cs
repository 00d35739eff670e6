using Writ.Core.Domain;
using Writ.Core.Revocation;
using Writ.Core.Storage;

namespace Writ.Core.Tasks;

/// <summary>
/// The agent revoker, announced to the decision cache (while the agent is being suspended every decision
/// for it reads the store, so no call decided during or after the revocation relies on the old status),
/// which also ends the agent's active tasks and what was delegated from them, one event each.
/// </summary>
public sealed class AgentChangeRevoker(IWritStore store, StatusCache status, RevocationOptions options, TaskOptions taskOptions) : IRevoker
{
    private readonly AgentRevoker inner = new(store, options);
    private readonly TaskRevoker tasks = new(store, status, taskOptions);

    /// <inheritdoc />
    public RevocationKind Kind => RevocationKind.Agent;

    /// <inheritdoc />
    public async Task<RevokerResult> RevokeAsync(RevocationRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = ResourceName.IsValid(request.Subject) ? request.Subject
            : SpiffeId.TryParse(request.Subject, out var id, out _) && id.TryGetAgentName(out var fromId) ? fromId
            : null;
        if (name is null)
        {
            return await inner.RevokeAsync(request, now, cancellationToken);
        }

        RevokerResult result;
        using (status.BeginAgentChange(name))
        {
            result = await inner.RevokeAsync(request, now, cancellationToken);
        }

        if (result.Error is not null)
        {
            return result;
        }

        var events = new List<RevocationEvent>(result.Events);
        foreach (var task in await AgentTaskCascade.EndActiveTasksAsync(store, status, name, now, request.Actor, cancellationToken))
        {
            // The actor's scope was checked on the agent.
            var ended = await tasks.RevokeAsync(new RevocationRequest(RevocationKind.Task, task, request.Actor, null, request.Cause), now, cancellationToken);
            events.AddRange(ended.Events);
        }

        return new RevokerResult(events, null);
    }
}
