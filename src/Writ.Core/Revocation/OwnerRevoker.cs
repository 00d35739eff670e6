using Writ.Core.Admin;
using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Core.Revocation;

/// <summary>Revokes an owner: every one of their agents is suspended (one agent event each), then one owner event.</summary>
internal sealed class OwnerRevoker(IWritStore store, RevocationOptions options) : IRevoker
{
    public RevocationKind Kind => RevocationKind.Owner;

    public async Task<RevokerResult> RevokeAsync(RevocationRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!ResourceName.IsValid(request.Subject) || await store.Owners.GetAsync(request.Subject, cancellationToken) is null)
        {
            return AdminError.NotFound("owner_not_found", $"owner '{(request.Subject.Length > 80 ? request.Subject[..80] : request.Subject)}' does not exist");
        }

        if (request.ActorOwner is not null && !string.Equals(request.ActorOwner, request.Subject, StringComparison.Ordinal))
        {
            return AdminError.Forbidden($"'{request.Actor}' is scoped to owner '{request.ActorOwner}' and cannot revoke another owner");
        }

        var events = new List<RevocationEvent> { new(0, now, Kind, request.Subject, now + options.MaxTokenLifetime, request.Cause) };
        foreach (var agent in await store.Agents.ListAsync(request.Subject, cancellationToken))
        {
            if (agent.Status == AgentStatus.Retired)
            {
                continue;
            }

            if (agent.Status == AgentStatus.Active)
            {
                await store.Agents.SetStatusAsync(agent.Name, AgentStatus.Suspended, now, cancellationToken);
            }

            events.Add(AgentRevoker.ForAgent(agent, now, options, request.Cause));
        }

        return new RevokerResult(events, null);
    }
}
