using Writ.Core.Domain;

namespace Writ.Core.Storage;

/// <summary>Named admin tokens (only hashes are stored).</summary>
public interface IAdminTokenStore
{
    /// <summary>
    /// Adds a token. <see cref="StoreOutcome.AlreadyExists"/> when the name or hash is taken;
    /// <see cref="StoreOutcome.ReferenceNotFound"/> when its owner scope is given and does not exist.
    /// </summary>
    Task<StoreResult> AddAsync(AdminToken token, CancellationToken cancellationToken);

    /// <summary>The token named <paramref name="name"/> (revoked or not), or null.</summary>
    Task<AdminToken?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>The token with this hash (revoked or not; the caller checks <c>RevokedAt</c>), or null.</summary>
    Task<AdminToken?> FindByHashAsync(string tokenHash, CancellationToken cancellationToken);

    /// <summary>All tokens ordered by name.</summary>
    Task<IReadOnlyList<AdminToken>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Revokes a token at <paramref name="now"/>; revoking a revoked token keeps the first revocation time.
    /// <see cref="StoreOutcome.NotFound"/> when unknown.
    /// </summary>
    Task<StoreResult<AdminToken>> RevokeAsync(string name, DateTimeOffset now, CancellationToken cancellationToken);
}
