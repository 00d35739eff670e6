using Writ.Core.Domain;

namespace Writ.Core.Storage;

/// <summary>The result of <see cref="IJoinTokenStore.TryConsumeAsync"/>.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Token">The token (with <c>ConsumedAt</c> set) when <see cref="JoinTokenConsumeOutcome.Consumed"/>, else the token as found, or null when not found.</param>
public sealed record JoinTokenConsumeResult(JoinTokenConsumeOutcome Outcome, JoinToken? Token)
{
    /// <summary>True only for the single caller that consumed the token.</summary>
    public bool Consumed => Outcome == JoinTokenConsumeOutcome.Consumed && Token is not null;
}
