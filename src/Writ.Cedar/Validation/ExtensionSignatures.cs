using Writ.Cedar.Schema;

namespace Writ.Cedar.Validation;

/// <summary>The type of an extension function: argument types, result type, and for constructors the literal check.</summary>
internal sealed record ExtensionSignature(string Name, IReadOnlyList<CedarType> Arguments, CedarType Result, bool IsConstructor);

/// <summary>The signatures of Cedar's 21 extension functions.</summary>
internal static class ExtensionSignatures
{
    private static readonly CedarType IpAddr = CedarType.Extension("ipaddr");
    private static readonly CedarType Decimal = CedarType.Extension("decimal");
    private static readonly CedarType Datetime = CedarType.Extension("datetime");
    private static readonly CedarType Duration = CedarType.Extension("duration");

    private static readonly Dictionary<string, ExtensionSignature> All = new ExtensionSignature[]
    {
        new("ip", [CedarType.String], IpAddr, true),
        new("isIpv4", [IpAddr], CedarType.Bool, false),
        new("isIpv6", [IpAddr], CedarType.Bool, false),
        new("isLoopback", [IpAddr], CedarType.Bool, false),
        new("isMulticast", [IpAddr], CedarType.Bool, false),
        new("isInRange", [IpAddr, IpAddr], CedarType.Bool, false),
        new("decimal", [CedarType.String], Decimal, true),
        new("lessThan", [Decimal, Decimal], CedarType.Bool, false),
        new("lessThanOrEqual", [Decimal, Decimal], CedarType.Bool, false),
        new("greaterThan", [Decimal, Decimal], CedarType.Bool, false),
        new("greaterThanOrEqual", [Decimal, Decimal], CedarType.Bool, false),
        new("datetime", [CedarType.String], Datetime, true),
        new("duration", [CedarType.String], Duration, true),
        new("offset", [Datetime, Duration], Datetime, false),
        new("durationSince", [Datetime, Datetime], Duration, false),
        new("toDate", [Datetime], Datetime, false),
        new("toTime", [Datetime], Duration, false),
        new("toMilliseconds", [Duration], CedarType.Long, false),
        new("toSeconds", [Duration], CedarType.Long, false),
        new("toMinutes", [Duration], CedarType.Long, false),
        new("toHours", [Duration], CedarType.Long, false),
        new("toDays", [Duration], CedarType.Long, false),
    }.ToDictionary(s => s.Name, StringComparer.Ordinal);

    public static ExtensionSignature? Find(string name) => All.GetValueOrDefault(name);

    /// <summary>The constructor that builds values of an extension type from a string.</summary>
    public static string ConstructorFor(string extensionType) => extensionType == "ipaddr" ? "ip" : extensionType;

    /// <summary>Whether <c>&lt;</c> and friends apply to the type: <c>Long</c>, <c>datetime</c> and <c>duration</c>.</summary>
    public static bool IsComparable(CedarType t) => t is LongType || (t is ExtensionType e && e.Name is "datetime" or "duration");
}
