namespace Writ.Core.Storage;

/// <summary>Seen token ids, so a token (assertion, client assertion) is accepted at most once.</summary>
public interface IReplayCache
{
    /// <summary>
    /// Records <paramref name="jti"/> within <paramref name="scope"/> until <paramref name="expiresAt"/>.
    /// Returns true for the first caller and false whenever the pair was recorded before (and not yet
    /// purged), atomically across processes.
    /// </summary>
    Task<bool> TryRecordAsync(string scope, string jti, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Deletes entries whose expiry is at or before <paramref name="now"/>; returns how many.</summary>
    Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}
