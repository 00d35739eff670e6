using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Writ.Core.Connections;

/// <summary>
/// Envelope encryption of connection secrets: each secret gets a fresh random 256-bit data key and
/// is encrypted with AES-256-GCM under it; the data key is wrapped by the current KEK. Both layers
/// bind the connection id as associated data, so a ciphertext moved to another connection does not
/// open. Layout: version (1) | wrapped key length (2, big endian) | wrapped key | nonce (12) | tag (16) | ciphertext.
/// </summary>
public sealed class ConnectionSecrets(KekRing ring)
{
    /// <summary>The longest secret accepted, in bytes.</summary>
    public const int MaxSecretBytes = 8 * 1024;

    private const byte FormatVersion = 1;
    private const int DataKeyLength = 32;
    private const int NonceLength = 12;
    private const int TagLength = 16;

    private readonly KekRing _ring = ring ?? throw new ArgumentNullException(nameof(ring));

    /// <summary>The id of the KEK new secrets are sealed under.</summary>
    public string CurrentKekId => _ring.Current.Id;

    /// <summary>Seals <paramref name="secret"/> for the connection <paramref name="connectionId"/> under the current KEK.</summary>
    public SealedSecret Seal(string connectionId, ReadOnlySpan<byte> secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionId);
        var kek = _ring.Current;
        var dataKey = RandomNumberGenerator.GetBytes(DataKeyLength);
        try
        {
            var wrapped = kek.Wrap(dataKey, KeyBinding(connectionId, kek.Id));
            var output = new byte[1 + 2 + wrapped.Length + NonceLength + TagLength + secret.Length];
            output[0] = FormatVersion;
            BinaryPrimitives.WriteUInt16BigEndian(output.AsSpan(1, 2), checked((ushort)wrapped.Length));
            wrapped.CopyTo(output.AsSpan(3));
            var offset = 3 + wrapped.Length;
            var nonce = output.AsSpan(offset, NonceLength);
            RandomNumberGenerator.Fill(nonce);
            using var aes = new AesGcm(dataKey, TagLength);
            aes.Encrypt(nonce, secret, output.AsSpan(offset + NonceLength + TagLength), output.AsSpan(offset + NonceLength, TagLength), SecretBinding(connectionId));
            return new SealedSecret(kek.Id, output);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>
    /// Opens a sealed secret of the connection <paramref name="connectionId"/>. Null when its KEK is
    /// unknown here, the ciphertext was altered, or it belongs to another connection.
    /// The caller zeroes the returned bytes when done.
    /// </summary>
    public byte[]? TryOpen(string connectionId, SealedSecret sealedSecret)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionId);
        ArgumentNullException.ThrowIfNull(sealedSecret);
        var data = sealedSecret.Ciphertext.AsSpan();
        if (data.Length < 3 || data[0] != FormatVersion || _ring.Find(sealedSecret.KekId) is not { } kek)
        {
            return null;
        }

        var wrappedLength = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(1, 2));
        var offset = 3 + wrappedLength;
        if (data.Length < offset + NonceLength + TagLength)
        {
            return null;
        }

        var dataKey = kek.TryUnwrap(data.Slice(3, wrappedLength), KeyBinding(connectionId, kek.Id));
        if (dataKey is not { Length: DataKeyLength })
        {
            return null;
        }

        var ciphertext = data[(offset + NonceLength + TagLength)..];
        var plaintext = new byte[ciphertext.Length];
        try
        {
            using var aes = new AesGcm(dataKey, TagLength);
            aes.Decrypt(data.Slice(offset, NonceLength), ciphertext, data.Slice(offset + NonceLength, TagLength), plaintext, SecretBinding(connectionId));
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>The same secret sealed again under the current KEK with a new data key; null when it cannot be opened.</summary>
    public SealedSecret? TryReseal(string connectionId, SealedSecret sealedSecret)
    {
        var plaintext = TryOpen(connectionId, sealedSecret);
        if (plaintext is null)
        {
            return null;
        }

        try
        {
            return Seal(connectionId, plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static string KeyBinding(string connectionId, string kekId) => "writ connection data key v1\n" + kekId + "\n" + connectionId;

    private static byte[] SecretBinding(string connectionId) => Encoding.UTF8.GetBytes("writ connection secret v1\n" + connectionId);
}
