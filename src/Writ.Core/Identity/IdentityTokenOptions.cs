namespace Writ.Core.Identity;

/// <summary>Settings of issued identity tokens.</summary>
public sealed class IdentityTokenOptions
{
    /// <summary>The longest identity token lifetime Writ allows.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(1);

    /// <summary>Lifetime of issued identity tokens; default 5 minutes, at most <see cref="MaxLifetime"/>.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Tolerated clock difference for <c>iat</c>, <c>nbf</c> and <c>exp</c> of presented assertions.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest lifetime of an agent's RFC 7523 assertion (and of a client assertion).</summary>
    public TimeSpan MaxAssertionLifetime { get; init; } = TimeSpan.FromMinutes(5);
}
