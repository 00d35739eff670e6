using System.Buffers.Text;
using System.Security.Cryptography;

namespace Writ.Core.Security;

/// <summary>Unguessable random tokens (join tokens, admin tokens, client secrets, ids).</summary>
public static class RandomToken
{
    /// <summary>The default number of random bytes: 256 bits.</summary>
    public const int DefaultBytes = 32;

    /// <summary>A base64url (unpadded) string of <paramref name="bytes"/> cryptographically random bytes.</summary>
    public static string Create(int bytes = DefaultBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, 16);
        return Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));
    }
}
