namespace Writ.Core.Revocation;

/// <summary>Settings of the <see cref="RevocationCoordinator"/>.</summary>
public sealed class RevocationOptions
{
    /// <summary>
    /// The longest lifetime of any token Writ issues: an event that ends tokens whose expiries are not
    /// known one by one (an agent's, a key's) matters for this long. Default 1 hour.
    /// </summary>
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The most events one request may cascade into before it is refused as runaway. Default 10,000.</summary>
    public int MaxCascade { get; set; } = 10_000;
}
