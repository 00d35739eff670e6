using Writ.Core.Domain;

namespace Writ.Core.Storage;

/// <summary>Clients: the machines that call Writ.</summary>
public interface IClientStore
{
    /// <summary>
    /// Adds a client. <see cref="StoreOutcome.AlreadyExists"/> when the name is taken;
    /// <see cref="StoreOutcome.ReferenceNotFound"/> when its owner is given and does not exist.
    /// </summary>
    Task<StoreResult> AddAsync(Client client, CancellationToken cancellationToken);

    /// <summary>The client named <paramref name="name"/>, or null.</summary>
    Task<Client?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>All clients ordered by name, or only those of <paramref name="owner"/> when given.</summary>
    Task<IReadOnlyList<Client>> ListAsync(string? owner, CancellationToken cancellationToken);

    /// <summary>Enables or disables a client; <see cref="StoreOutcome.NotFound"/> when unknown.</summary>
    Task<StoreResult<Client>> SetDisabledAsync(string name, bool disabled, CancellationToken cancellationToken);

    /// <summary>Removes a client; <see cref="StoreOutcome.NotFound"/> when unknown.</summary>
    Task<StoreResult> RemoveAsync(string name, CancellationToken cancellationToken);
}
