using System.Security.Cryptography;
using System.Text;

namespace Writ.Core.Connections;

/// <summary>A 256-bit KEK given in configuration; wraps data keys with AES-256-GCM.</summary>
public sealed class ConfiguredKek : KeyEncryptionKey
{
    /// <summary>KEK length in bytes.</summary>
    public const int Length = 32;

    private const int NonceLength = 12;
    private const int TagLength = 16;

    private readonly byte[] _key;

    /// <summary>Wraps exactly <see cref="Length"/> bytes under the id <paramref name="id"/>.</summary>
    public ConfiguredKek(string id, ReadOnlySpan<byte> key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (key.Length != Length)
        {
            throw new ArgumentException($"a KEK must be exactly {Length} bytes", nameof(key));
        }

        Id = id;
        _key = key.ToArray();
    }

    /// <inheritdoc />
    public override string Id { get; }

    /// <inheritdoc />
    public override byte[] Wrap(ReadOnlySpan<byte> dataKey, string associatedData)
    {
        var output = new byte[NonceLength + TagLength + dataKey.Length];
        var nonce = output.AsSpan(0, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagLength);
        aes.Encrypt(nonce, dataKey, output.AsSpan(NonceLength + TagLength), output.AsSpan(NonceLength, TagLength), Encoding.UTF8.GetBytes(associatedData));
        return output;
    }

    /// <inheritdoc />
    public override byte[]? TryUnwrap(ReadOnlySpan<byte> wrapped, string associatedData)
    {
        if (wrapped.Length <= NonceLength + TagLength)
        {
            return null;
        }

        var plaintext = new byte[wrapped.Length - NonceLength - TagLength];
        using var aes = new AesGcm(_key, TagLength);
        try
        {
            aes.Decrypt(wrapped[..NonceLength], wrapped[(NonceLength + TagLength)..], wrapped.Slice(NonceLength, TagLength), plaintext, Encoding.UTF8.GetBytes(associatedData));
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            return null;
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        CryptographicOperations.ZeroMemory(_key);
        base.Dispose(disposing);
    }
}
