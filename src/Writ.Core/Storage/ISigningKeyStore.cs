using Writ.Core.Domain;

namespace Writ.Core.Storage;

/// <summary>Token signing keys. Keys are never deleted, so the sequence of keys is complete.</summary>
public interface ISigningKeyStore
{
    /// <summary>
    /// Adds a key. <see cref="StoreOutcome.AlreadyExists"/> when its kid or sequence is taken, which is
    /// how two processes rotating at once find out that one of them lost.
    /// </summary>
    Task<StoreResult> AddAsync(SigningKey key, CancellationToken cancellationToken);

    /// <summary>The key with this kid, or null.</summary>
    Task<SigningKey?> GetAsync(string kid, CancellationToken cancellationToken);

    /// <summary>All keys ordered by sequence.</summary>
    Task<IReadOnlyList<SigningKey>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Records a key's status and retirement time; <see cref="StoreOutcome.NotFound"/> when unknown.</summary>
    Task<StoreResult<SigningKey>> UpdateScheduleAsync(string kid, SigningKeyStatus status, DateTimeOffset? retiresAt, CancellationToken cancellationToken);
}
