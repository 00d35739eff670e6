namespace Writ.Core.Storage;

/// <summary>How many entries <see cref="StorePurge.PurgeExpiredAsync"/> removed.</summary>
/// <param name="ReplayEntries">Seen jti entries.</param>
/// <param name="Revocations">Revoked-token entries.</param>
/// <param name="JoinTokens">Long-expired join tokens.</param>
public sealed record PurgeCounts(int ReplayEntries, int Revocations, int JoinTokens);
