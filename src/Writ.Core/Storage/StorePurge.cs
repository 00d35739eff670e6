namespace Writ.Core.Storage;

/// <summary>Removes bookkeeping that can no longer matter; run it periodically (for example every minute).</summary>
public static class StorePurge
{
    /// <summary>How long expired join tokens are kept, so "already used" and "expired" stay distinguishable for a while.</summary>
    public static readonly TimeSpan JoinTokenRetention = TimeSpan.FromDays(1);

    /// <summary>
    /// Deletes replay entries and revocations whose tokens expired at or before <paramref name="now"/>,
    /// and join tokens that expired more than <see cref="JoinTokenRetention"/> ago.
    /// </summary>
    public static async Task<PurgeCounts> PurgeExpiredAsync(this IWritStore store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var replay = await store.ReplayCache.PurgeExpiredAsync(now, cancellationToken);
        var revocations = await store.Revocations.PurgeExpiredAsync(now, cancellationToken);
        var joinTokens = await store.JoinTokens.PurgeExpiredAsync(now - JoinTokenRetention, cancellationToken);
        return new PurgeCounts(replay, revocations, joinTokens);
    }
}
