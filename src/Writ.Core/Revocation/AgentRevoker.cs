using Writ.Core.Admin;
using Writ.Core.Domain;
using Writ.Core.Storage;

namespace Writ.Core.Revocation;

/// <summary>Revokes an agent (by name or SPIFFE ID): suspends it, so it gets no new token and every token it holds is rejected.</summary>
internal sealed class AgentRevoker(IWritStore store, RevocationOptions options) : IRevoker
{
    public RevocationKind Kind => RevocationKind.Agent;

    public async Task<RevokerResult> RevokeAsync(RevocationRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var agent = await FindAsync(request.Subject, cancellationToken);
        if (agent is null)
        {
            return AdminError.NotFound("agent_not_found", $"agent '{Shorten(request.Subject)}' does not exist");
        }

        if (request.ActorOwner is not null && !string.Equals(request.ActorOwner, agent.Owner, StringComparison.Ordinal))
        {
            return AdminError.Forbidden($"'{request.Actor}' is scoped to owner '{request.ActorOwner}' and cannot revoke agents of another owner");
        }

        if (agent.Status == AgentStatus.Active)
        {
            var updated = await store.Agents.SetStatusAsync(agent.Name, AgentStatus.Suspended, now, cancellationToken);
            if (!updated.Succeeded)
            {
                return AdminError.NotFound("agent_not_found", $"agent '{agent.Name}' does not exist");
            }
        }

        // Announced even when already suspended: a repeated revocation must still reach enforcement points that missed the first.
        return new RevokerResult([ForAgent(agent, now, options, request.Cause)], null);
    }

    internal static RevocationEvent ForAgent(Agent agent, DateTimeOffset now, RevocationOptions options, string? cause) =>
        new(0, now, RevocationKind.Agent, agent.SpiffeId.ToString(), now + options.MaxTokenLifetime, cause);

    private async Task<Agent?> FindAsync(string subject, CancellationToken cancellationToken)
    {
        if (ResourceName.IsValid(subject))
        {
            return await store.Agents.GetAsync(subject, cancellationToken);
        }

        return SpiffeId.TryParse(subject, out _, out _) ? await store.Agents.GetBySpiffeIdAsync(subject, cancellationToken) : null;
    }

    private static string Shorten(string text) => text.Length > 80 ? text[..80] : text;
}
