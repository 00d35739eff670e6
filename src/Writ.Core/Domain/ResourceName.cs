namespace Writ.Core.Domain;

/// <summary>
/// The rule for names of owners, agents, clients, issuers and admin tokens: 1 to 63 characters,
/// lowercase letters, digits, '-', '_' and '.', starting with a letter or digit. Every valid name
/// is also a valid SPIFFE path segment.
/// </summary>
public static class ResourceName
{
    /// <summary>The longest allowed name.</summary>
    public const int MaxLength = 63;

    /// <summary>The rule in words, for error messages.</summary>
    public const string Rule = "1 to 63 characters of lowercase letters, digits, '-', '_' or '.', starting with a letter or digit";

    /// <summary>True when <paramref name="name"/> follows the rule.</summary>
    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength || !char.IsAsciiLetterLower(name[0]) && !char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
