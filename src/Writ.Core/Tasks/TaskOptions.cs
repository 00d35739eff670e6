namespace Writ.Core.Tasks;

/// <summary>Settings of tasks and task tokens.</summary>
public sealed class TaskOptions
{
    /// <summary>The longest task Writ allows: keys are kept published at least this long after they sign.</summary>
    public static readonly TimeSpan LongestMaxDuration = TimeSpan.FromHours(1);

    /// <summary>The global maximum task lifetime; a task's <c>exp</c> is never later than start + this. Default 15 minutes.</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The deepest delegation chain allowed (a task started by its agent has depth 0). Default 3.</summary>
    public int MaxDelegationDepth { get; init; } = 3;

    /// <summary>
    /// How long a decision may rely on a cached agent status or task state before reading the store again.
    /// Changes made through this process take effect at once; changes made by another process are seen
    /// within this window. Zero reads the store on every decision. Default 1 second.
    /// </summary>
    public TimeSpan StatusCacheWindow { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Tolerated clock difference for DPoP proof <c>iat</c> and user token lifetimes. Default 60 seconds.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Throws <see cref="ArgumentException"/> when a setting is out of range.</summary>
    public void Validate()
    {
        if (MaxDuration <= TimeSpan.Zero || MaxDuration > LongestMaxDuration)
        {
            throw new ArgumentException($"the maximum task duration must be positive and at most {LongestMaxDuration.TotalMinutes} minutes");
        }

        if (MaxDelegationDepth is < 0 or > 16)
        {
            throw new ArgumentException("the maximum delegation depth must be between 0 and 16");
        }

        if (StatusCacheWindow < TimeSpan.Zero || StatusCacheWindow > TimeSpan.FromMinutes(1))
        {
            throw new ArgumentException("the status cache window must be between 0 and 1 minute");
        }

        if (ClockSkew < TimeSpan.Zero || ClockSkew > TimeSpan.FromMinutes(5))
        {
            throw new ArgumentException("the clock skew must be between 0 and 5 minutes");
        }
    }
}
