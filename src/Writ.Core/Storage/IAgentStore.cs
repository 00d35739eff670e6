using Writ.Core.Domain;

namespace Writ.Core.Storage;

/// <summary>Agents and their registered public keys.</summary>
public interface IAgentStore
{
    /// <summary>
    /// Adds an agent with its keys. <see cref="StoreOutcome.AlreadyExists"/> when the name or SPIFFE ID
    /// is taken; <see cref="StoreOutcome.ReferenceNotFound"/> when its owner does not exist.
    /// </summary>
    Task<StoreResult> AddAsync(Agent agent, CancellationToken cancellationToken);

    /// <summary>The agent named <paramref name="name"/> with its keys, or null.</summary>
    Task<Agent?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>The agent with this SPIFFE ID (exact string), or null.</summary>
    Task<Agent?> GetBySpiffeIdAsync(string spiffeId, CancellationToken cancellationToken);

    /// <summary>All agents ordered by name, or only those of <paramref name="owner"/> when given.</summary>
    Task<IReadOnlyList<Agent>> ListAsync(string? owner, CancellationToken cancellationToken);

    /// <summary>Sets the status and <c>UpdatedAt</c>; <see cref="StoreOutcome.NotFound"/> for an unknown agent.</summary>
    Task<StoreResult<Agent>> SetStatusAsync(string name, AgentStatus status, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Registers a public key. <see cref="StoreOutcome.NotFound"/> for an unknown agent;
    /// <see cref="StoreOutcome.AlreadyExists"/> when the agent already has this kid or thumbprint.
    /// </summary>
    Task<StoreResult<Agent>> AddKeyAsync(string name, AgentKey key, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Removes a public key by kid; <see cref="StoreOutcome.NotFound"/> when the agent or key is unknown.</summary>
    Task<StoreResult<Agent>> RemoveKeyAsync(string name, string kid, DateTimeOffset now, CancellationToken cancellationToken);
}
