using Writ.Core.Connections;

namespace Writ.Core.Storage;

/// <summary>Connections (upstream credential sources) with their secrets encrypted at rest.</summary>
public interface IConnectionStore
{
    /// <summary>
    /// Adds a connection; <see cref="StoreOutcome.AlreadyExists"/> when its name or id is taken,
    /// <see cref="StoreOutcome.ReferenceNotFound"/> when its owner does not exist.
    /// </summary>
    Task<StoreResult> AddAsync(Connection connection, CancellationToken cancellationToken);

    /// <summary>The connection named <paramref name="name"/>, or null.</summary>
    Task<Connection?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Connections ordered by name; only <paramref name="owner"/>'s when given.</summary>
    Task<IReadOnlyList<Connection>> ListAsync(string? owner, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the sealed secret of <paramref name="name"/> when its current secret is still
    /// <paramref name="expected"/> (so two concurrent rotations cannot silently overwrite each other);
    /// <see cref="StoreOutcome.NotFound"/> when the connection is gone or its secret changed meanwhile.
    /// </summary>
    Task<StoreResult<Connection>> ReplaceSecretAsync(string name, SealedSecret expected, SealedSecret replacement, DateTimeOffset rotatedAt, CancellationToken cancellationToken);

    /// <summary>Removes a connection; <see cref="StoreOutcome.NotFound"/> when it does not exist.</summary>
    Task<StoreResult> RemoveAsync(string name, CancellationToken cancellationToken);
}
