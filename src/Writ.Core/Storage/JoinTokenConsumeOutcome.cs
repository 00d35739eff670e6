namespace Writ.Core.Storage;

/// <summary>Why a join token could or could not be consumed.</summary>
public enum JoinTokenConsumeOutcome
{
    /// <summary>This caller consumed it; no other caller ever will.</summary>
    Consumed,

    /// <summary>No join token has this hash.</summary>
    NotFound,

    /// <summary>It was consumed before (a replay).</summary>
    AlreadyConsumed,

    /// <summary>It expired unused.</summary>
    Expired,
}
