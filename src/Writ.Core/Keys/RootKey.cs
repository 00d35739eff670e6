using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Writ.Core.Keys;

/// <summary>
/// The 256-bit root key that protects private keys at rest. Secrets are sealed with AES-256-GCM
/// under a subkey derived (HKDF-SHA256) per purpose, with caller-supplied associated data binding
/// each ciphertext to what it protects (for example a signing key's kid).
/// </summary>
public sealed class RootKey : IDisposable
{
    /// <summary>Root key length in bytes.</summary>
    public const int Length = 32;

    private const byte FormatVersion = 1;
    private const int NonceLength = 12;
    private const int TagLength = 16;

    private readonly byte[] _key;

    private RootKey(byte[] key)
    {
        _key = key;
        var idHash = SHA256.HashData([.. "writ root key id v1\n"u8, .. key]);
        Id = "rk_" + Base64Url.EncodeToString(idHash.AsSpan(0, 12));
    }

    /// <summary>A public identifier derived from the key (a hash, not the key), stored next to what it protects.</summary>
    public string Id { get; }

    /// <summary>A new random root key.</summary>
    public static RootKey Generate() => new(RandomNumberGenerator.GetBytes(Length));

    /// <summary>Wraps exactly <see cref="Length"/> bytes.</summary>
    /// <exception cref="RootKeyException">The length is wrong.</exception>
    public static RootKey FromBytes(ReadOnlySpan<byte> key)
    {
        if (key.Length != Length)
        {
            throw new RootKeyException($"the root key must be exactly {Length} bytes, got {key.Length}");
        }

        return new RootKey(key.ToArray());
    }

    /// <summary>Parses the base64 (standard or url-safe) text form of a root key.</summary>
    /// <exception cref="RootKeyException">The text is not base64 of 32 bytes.</exception>
    public static RootKey FromBase64(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        byte[] bytes;
        try
        {
            bytes = Base64.IsValid(trimmed) ? Convert.FromBase64String(trimmed) : Base64Url.DecodeFromChars(trimmed);
        }
        catch (FormatException)
        {
            throw new RootKeyException($"the root key is not valid base64; expected base64 of {Length} random bytes (for example `openssl rand -base64 32`)");
        }

        try
        {
            return FromBytes(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>The base64 text form, for writing a generated key to its file.</summary>
    public string ToBase64() => Convert.ToBase64String(_key);

    /// <summary>Encrypts <paramref name="plaintext"/> for <paramref name="purpose"/>, bound to <paramref name="associatedData"/>.</summary>
    public byte[] Seal(ReadOnlySpan<byte> plaintext, string purpose, string associatedData)
    {
        var output = new byte[1 + NonceLength + TagLength + plaintext.Length];
        output[0] = FormatVersion;
        var nonce = output.AsSpan(1, NonceLength);
        var tag = output.AsSpan(1 + NonceLength, TagLength);
        var ciphertext = output.AsSpan(1 + NonceLength + TagLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = CreateCipher(purpose);
        aes.Encrypt(nonce, plaintext, ciphertext, tag, Encoding.UTF8.GetBytes(associatedData));
        return output;
    }

    /// <summary>
    /// Decrypts what <see cref="Seal"/> produced with the same purpose and associated data.
    /// Returns null when the key, purpose or associated data differ or the data was altered.
    /// </summary>
    public byte[]? TryOpen(ReadOnlySpan<byte> sealedData, string purpose, string associatedData)
    {
        if (sealedData.Length < 1 + NonceLength + TagLength || sealedData[0] != FormatVersion)
        {
            return null;
        }

        var nonce = sealedData.Slice(1, NonceLength);
        var tag = sealedData.Slice(1 + NonceLength, TagLength);
        var ciphertext = sealedData[(1 + NonceLength + TagLength)..];
        var plaintext = new byte[ciphertext.Length];
        using var aes = CreateCipher(purpose);
        try
        {
            aes.Decrypt(nonce, ciphertext, tag, plaintext, Encoding.UTF8.GetBytes(associatedData));
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            return null;
        }
    }

    /// <inheritdoc />
    public void Dispose() => CryptographicOperations.ZeroMemory(_key);

    private AesGcm CreateCipher(string purpose)
    {
        var subkey = HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, 32, [], Encoding.UTF8.GetBytes("writ " + purpose));
        try
        {
            return new AesGcm(subkey, TagLength);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(subkey);
        }
    }
}
