namespace Writ.Cedar;

/// <summary>The Cedar language version this engine implements.</summary>
public static class CedarVersion
{
    /// <summary>Cedar language version (as implemented by cedar 4.13).</summary>
    public const string Language = "4.5";
}
