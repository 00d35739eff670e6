namespace Writ.Cedar.Extensions;

/// <summary>The names of Cedar's extension functions and which of them are called as methods.</summary>
public static class ExtensionNames
{
    /// <summary>Functions called by name: the constructors.</summary>
    public static readonly IReadOnlySet<string> Functions = new HashSet<string>(StringComparer.Ordinal)
    {
        "decimal", "ip", "datetime", "duration",
    };

    /// <summary>Functions called as methods on their first argument.</summary>
    public static readonly IReadOnlySet<string> Methods = new HashSet<string>(StringComparer.Ordinal)
    {
        "lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual",
        "isIpv4", "isIpv6", "isLoopback", "isMulticast", "isInRange",
        "offset", "durationSince", "toDate", "toTime",
        "toMilliseconds", "toSeconds", "toMinutes", "toHours", "toDays",
    };

    /// <summary>Whether <paramref name="name"/> is any extension function.</summary>
    public static bool IsExtensionFunction(string name) => Functions.Contains(name) || Methods.Contains(name);
}
