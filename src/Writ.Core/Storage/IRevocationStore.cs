using Writ.Core.Domain;

namespace Writ.Core.Storage;

/// <summary>Revoked tokens, kept until each would have expired.</summary>
public interface IRevocationStore
{
    /// <summary>Revokes the token's jti; revoking it again keeps the first entry and still succeeds.</summary>
    Task RevokeAsync(RevokedToken token, CancellationToken cancellationToken);

    /// <summary>True when <paramref name="jti"/> is revoked and the entry has not expired at <paramref name="now"/>.</summary>
    Task<bool> IsRevokedAsync(string jti, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Revocations still in force at <paramref name="now"/>, ordered by revocation time.</summary>
    Task<IReadOnlyList<RevokedToken>> ListActiveAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes entries whose expiry is at or before <paramref name="now"/>; returns how many.</summary>
    Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
