using Writ.Core.Domain;

namespace Writ.Core.Storage;

/// <summary>One-time join tokens (only secret hashes are stored).</summary>
public interface IJoinTokenStore
{
    /// <summary>
    /// Adds a join token. <see cref="StoreOutcome.AlreadyExists"/> when the id or hash is taken;
    /// <see cref="StoreOutcome.ReferenceNotFound"/> when its agent does not exist.
    /// </summary>
    Task<StoreResult> AddAsync(JoinToken token, CancellationToken cancellationToken);

    /// <summary>The join token with this id, or null.</summary>
    Task<JoinToken?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically marks the unexpired, unconsumed token with this secret hash as consumed at
    /// <paramref name="now"/>. Exactly one caller succeeds, even across processes sharing the database.
    /// </summary>
    Task<JoinTokenConsumeResult> TryConsumeAsync(string secretHash, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes tokens that expired before <paramref name="before"/>; returns how many.</summary>
    Task<int> PurgeExpiredAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
