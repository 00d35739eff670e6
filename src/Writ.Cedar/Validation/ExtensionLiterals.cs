using Writ.Cedar.Extensions;

namespace Writ.Cedar.Validation;

/// <summary>Checks that the string given to an extension constructor is a valid literal, as the validator requires.</summary>
internal static class ExtensionLiterals
{
    public static bool IsValid(string constructor, string text) => constructor switch
    {
        "ip" => IpParser.TryParse(text) is not null,
        "decimal" => DecimalParser.TryParse(text, out _) is not null,
        "datetime" => DatetimeParser.TryParseDatetime(text) is not null,
        "duration" => DatetimeParser.TryParseDuration(text) is not null,
        _ => true,
    };
}
