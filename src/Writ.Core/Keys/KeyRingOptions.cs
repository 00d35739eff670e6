namespace Writ.Core.Keys;

/// <summary>Rotation and publishing settings of the <see cref="KeyRing"/>.</summary>
public sealed class KeyRingOptions
{
    /// <summary>
    /// How long a new key is published before it signs, so relying parties that refresh every
    /// <see cref="RefreshHint"/> already hold it when the first token it signed arrives.
    /// Default 5 minutes; tests use zero.
    /// </summary>
    public TimeSpan PublishDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The longest lifetime of any token a signing key signs. A replaced key stays published until
    /// this long after its successor starts signing. Default 1 hour (the identity token maximum).
    /// </summary>
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The <c>spiffe_refresh_hint</c> published in the trust bundle. Default 1 minute.</summary>
    public TimeSpan RefreshHint { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long one process uses its cached view of the stored keys before reading them again, which
    /// bounds how late it notices a rotation made by another process. Keep it below
    /// <see cref="PublishDelay"/> when several processes share a database. Default 30 seconds.
    /// </summary>
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}
