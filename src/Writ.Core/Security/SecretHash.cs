using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Writ.Core.Security;

/// <summary>
/// The stored form of a high-entropy secret (join token, admin token, client secret): base64url
/// SHA-256 of its UTF-8 bytes. A plain hash is enough because the secrets are 256-bit random
/// values, so there is nothing to brute-force; user-chosen passwords must not be stored this way.
/// </summary>
public static class SecretHash
{
    /// <summary>The hash of <paramref name="secret"/>, as stored.</summary>
    public static string Compute(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        return Base64Url.EncodeToString(hash);
    }

    /// <summary>True when <paramref name="secret"/> hashes to <paramref name="storedHash"/>, compared in constant time.</summary>
    public static bool Matches(string secret, string storedHash) =>
        ConstantTime.EqualsAscii(Compute(secret), storedHash);
}
