namespace Writ.Core.Leases;

/// <summary>How failed revocations are retried and when they count as stuck.</summary>
public sealed class LeaseRevocationOptions
{
    /// <summary>The delay after the first failure; it doubles with each further failure.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest delay between attempts.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Failed attempts after which a lease is reported as stuck.</summary>
    public int StuckAfterAttempts { get; init; } = 3;

    /// <summary>The delay before attempt <paramref name="failedAttempts"/> + 1.</summary>
    public TimeSpan DelayAfter(int failedAttempts)
    {
        var factor = Math.Pow(2, Math.Clamp(failedAttempts - 1, 0, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(FirstRetryDelay.Ticks * factor, MaxRetryDelay.Ticks));
        return delay;
    }
}
