namespace Writ.Core.Audit;

/// <summary>
/// A token id to record in the replay cache (<see cref="Storage.IReplayCache"/>) inside the same
/// durable transaction as an audit record, so one commit both spends the token and records what it
/// bought. Of two claims of the same <paramref name="Scope"/> and <paramref name="Jti"/>, in one batch
/// or across processes, exactly one is first.
/// </summary>
/// <param name="Scope">The replay cache scope, e.g. <c>agent:&lt;name&gt;</c>.</param>
/// <param name="Jti">The token id.</param>
/// <param name="ExpiresAt">How long the entry is kept (the token's expiry plus clock skew).</param>
public sealed record ReplayClaim(string Scope, string Jti, DateTimeOffset ExpiresAt);
