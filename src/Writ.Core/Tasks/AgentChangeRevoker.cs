using Writ.Core.Domain;
using Writ.Core.Revocation;
using Writ.Core.Storage;

namespace Writ.Core.Tasks;

/// <summary>
/// The agent revoker, announced to the decision cache: while the agent is being suspended every decision
/// for it reads the store, so no call decided during or after the revocation relies on the old status.
/// </summary>
public sealed class AgentChangeRevoker(IWritStore store, StatusCache status, RevocationOptions options) : IRevoker
{
    private readonly AgentRevoker inner = new(store, options);

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

        using (status.BeginAgentChange(name))
        {
            return await inner.RevokeAsync(request, now, cancellationToken);
        }
    }
}
