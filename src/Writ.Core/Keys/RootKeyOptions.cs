namespace Writ.Core.Keys;

/// <summary>Where the root key comes from (see <see cref="RootKeySource"/> for the order).</summary>
public sealed class RootKeyOptions
{
    /// <summary>The root key itself, base64 of 32 bytes (from configuration).</summary>
    public string? Value { get; set; }

    /// <summary>A file holding the base64 root key; must not be accessible to group or others.</summary>
    public string? FilePath { get; set; }

    /// <summary>The data directory; <c>&lt;data&gt;/root.key</c> is used when present.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Generate <c>&lt;data&gt;/root.key</c> (mode 0600) when no key is configured; for <c>writ dev</c> only.</summary>
    public bool GenerateIfMissing { get; set; }
}
