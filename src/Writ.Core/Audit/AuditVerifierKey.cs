using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace Writ.Core.Audit;

/// <summary>
/// The public half of the audit key, as verifiers hold it: a signed-note Ed25519 verifier key,
/// written <c>&lt;name&gt;+&lt;key id, 8 hex digits&gt;+&lt;base64(0x01 ‖ 32-byte public key)&gt;</c>.
/// The key id is the first 4 bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key).
/// </summary>
public sealed class AuditVerifierKey
{
    internal const byte Ed25519SignatureType = 0x01;
    internal const int PublicKeyLength = 32;
    internal const int SignatureLength = 64;

    private readonly NSec.Cryptography.PublicKey _publicKey;
    private readonly byte[] _publicKeyBytes;

    private AuditVerifierKey(string name, byte[] publicKey)
    {
        Name = name;
        _publicKeyBytes = publicKey;
        _publicKey = NSec.Cryptography.PublicKey.TryImport(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out var imported) && imported is not null
            ? imported
            : throw new AuditKeyException("not an Ed25519 public key");
        KeyId = ComputeKeyId(name, publicKey);
    }

    /// <summary>The key name, which is also the origin of the checkpoints it signs.</summary>
    public string Name { get; }

    /// <summary>The 32-bit signed-note key id.</summary>
    public uint KeyId { get; }

    /// <summary>The 32-byte Ed25519 public key.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKeyBytes;

    /// <summary>The key named <paramref name="name"/> with Ed25519 public key <paramref name="publicKey"/>.</summary>
    /// <exception cref="AuditKeyException">The name is not a valid key name or the key is not 32 bytes of a valid point.</exception>
    public static AuditVerifierKey Create(string name, ReadOnlySpan<byte> publicKey)
    {
        if (!NoteKeyName.IsValid(name))
        {
            throw new AuditKeyException("a key name must be non-empty, without spaces, '+' or control characters");
        }

        if (publicKey.Length != PublicKeyLength)
        {
            throw new AuditKeyException("an Ed25519 public key is 32 bytes");
        }

        return new AuditVerifierKey(name, publicKey.ToArray());
    }

    /// <summary>Parses a verifier key string.</summary>
    /// <exception cref="AuditKeyException">The text is not an Ed25519 verifier key whose id matches its name and key.</exception>
    public static AuditVerifierKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('+', 3);
        if (parts.Length != 3)
        {
            throw new AuditKeyException("a verifier key is <name>+<key id>+<base64 key>");
        }

        if (parts[1].Length != 8 || !uint.TryParse(parts[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var keyId) || !parts[1].All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
        {
            throw new AuditKeyException("the key id of a verifier key is 8 lower-case hex digits");
        }

        var blob = StrictBase64.Decode(parts[2]) ?? throw new AuditKeyException("the key of a verifier key is not base64");
        if (blob.Length != 1 + PublicKeyLength || blob[0] != Ed25519SignatureType)
        {
            throw new AuditKeyException("the verifier key is not an Ed25519 key (type 0x01 and 32 bytes)");
        }

        var key = Create(parts[0], blob.AsSpan(1));
        if (key.KeyId != keyId)
        {
            throw new AuditKeyException("the key id of the verifier key does not match its name and public key");
        }

        return key;
    }

    /// <summary>The verifier key string.</summary>
    public override string ToString() =>
        $"{Name}+{KeyId:x8}+{Convert.ToBase64String([Ed25519SignatureType, .. _publicKeyBytes])}";

    internal bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        signature.Length == SignatureLength && SignatureAlgorithm.Ed25519.Verify(_publicKey, message, signature);

    internal static uint ComputeKeyId(string name, ReadOnlySpan<byte> publicKey)
    {
        var hash = SHA256.HashData([.. Encoding.UTF8.GetBytes(name), 0x0A, Ed25519SignatureType, .. publicKey]);
        return BinaryPrimitives.ReadUInt32BigEndian(hash);
    }
}
