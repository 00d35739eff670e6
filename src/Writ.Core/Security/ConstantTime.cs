using System.Security.Cryptography;
using System.Text;

namespace Writ.Core.Security;

/// <summary>Comparisons of secrets whose time does not depend on where they differ.</summary>
public static class ConstantTime
{
    /// <summary>
    /// True when both strings have the same UTF-8 bytes. Only the length may leak through timing,
    /// which is acceptable for fixed-length values such as hashes and generated tokens.
    /// </summary>
    public static bool EqualsAscii(string? left, string? right)
    {
        if (left is null || right is null)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(left), Encoding.UTF8.GetBytes(right));
    }
}
