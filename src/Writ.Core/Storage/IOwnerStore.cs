using Writ.Core.Domain;

namespace Writ.Core.Storage;

/// <summary>Owners.</summary>
public interface IOwnerStore
{
    /// <summary>Adds an owner; <see cref="StoreOutcome.AlreadyExists"/> when the name is taken.</summary>
    Task<StoreResult> AddAsync(Owner owner, CancellationToken cancellationToken);

    /// <summary>The owner named <paramref name="name"/>, or null.</summary>
    Task<Owner?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>All owners ordered by name.</summary>
    Task<IReadOnlyList<Owner>> ListAsync(CancellationToken cancellationToken);
}
