using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;
using Writ.Core.Keys;

namespace Writ.Core.Audit;

/// <summary>
/// The Ed25519 key that signs audit checkpoints as C2SP signed notes. It is not a token signing key.
/// At rest its private key is sealed under the <see cref="RootKey"/>, bound to the key name and
/// public key; <see cref="VerifierKey"/> is what verifiers are given.
/// </summary>
public sealed class AuditSigningKey : IDisposable
{
    private const string SealPurpose = "audit-signing-key v1";

    private readonly Key _key;

    private AuditSigningKey(string name, Key key)
    {
        _key = key;
        VerifierKey = AuditVerifierKey.Create(name, key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary>The key name (also the origin line of the checkpoints it signs).</summary>
    public string Name => VerifierKey.Name;

    /// <summary>The public half.</summary>
    public AuditVerifierKey VerifierKey { get; }

    /// <summary>A new random key named <paramref name="name"/> (a schema-less URL such as <c>writ.example/audit</c>).</summary>
    /// <exception cref="AuditKeyException">The name is not a valid signed-note key name.</exception>
    public static AuditSigningKey Generate(string name)
    {
        if (!NoteKeyName.IsValid(name))
        {
            throw new AuditKeyException("a key name must be non-empty, without spaces, '+' or control characters");
        }

        var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        return new AuditSigningKey(name, key);
    }

    /// <summary>
    /// Opens a private key sealed by <see cref="ExportProtected"/> and checks that it belongs to
    /// <paramref name="name"/> and <paramref name="publicKey"/>.
    /// </summary>
    /// <exception cref="AuditKeyException">The root key, name or public key differ, or the data was altered.</exception>
    public static AuditSigningKey ImportProtected(string name, ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> protectedPrivateKey, RootKey rootKey)
    {
        ArgumentNullException.ThrowIfNull(rootKey);
        var verifier = AuditVerifierKey.Create(name, publicKey);
        var seed = rootKey.TryOpen(protectedPrivateKey, SealPurpose, AssociatedData(verifier))
            ?? throw new AuditKeyException("the audit signing key cannot be opened with the configured root key (wrong root key, or the stored key was altered)");
        try
        {
            var key = Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
            var signing = new AuditSigningKey(name, key);
            if (!signing.VerifierKey.PublicKey.SequenceEqual(publicKey))
            {
                signing.Dispose();
                throw new AuditKeyException("the stored audit private key does not match its public key");
            }

            return signing;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>The private key sealed under <paramref name="rootKey"/> (AES-256-GCM), for the store.</summary>
    public byte[] ExportProtected(RootKey rootKey)
    {
        ArgumentNullException.ThrowIfNull(rootKey);
        var seed = _key.Export(KeyBlobFormat.RawPrivateKey);
        try
        {
            return rootKey.Seal(seed, SealPurpose, AssociatedData(VerifierKey));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>The signed note of <paramref name="checkpoint"/>: its body, a blank line and this key's signature line.</summary>
    /// <exception cref="ArgumentException">The checkpoint's origin is not this key's name.</exception>
    public string SignCheckpoint(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (!string.Equals(checkpoint.Origin, Name, StringComparison.Ordinal))
        {
            throw new ArgumentException("a checkpoint is signed by the key named after its origin", nameof(checkpoint));
        }

        return SignNote(checkpoint.ToNoteText());
    }

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();

    // For known-answer tests: a key from its 32-byte RFC 8032 seed.
    internal static AuditSigningKey FromSeed(string name, ReadOnlySpan<byte> seed) =>
        new(name, Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    internal string SignNote(string text)
    {
        var signature = SignatureAlgorithm.Ed25519.Sign(_key, Encoding.UTF8.GetBytes(text));
        var blob = new byte[4 + signature.Length];
        BinaryPrimitives.WriteUInt32BigEndian(blob, VerifierKey.KeyId);
        signature.CopyTo(blob, 4);
        return $"{text}\n\u2014 {Name} {Convert.ToBase64String(blob)}\n";
    }

    private static string AssociatedData(AuditVerifierKey key) => "audit key=" + key;
}
