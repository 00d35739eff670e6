using Writ.Core.Keys;

namespace Writ.Core.Connections;

/// <summary>
/// The default KEK when none is configured: the root key's own AES-256-GCM sealing under an
/// HKDF-SHA256 subkey for the purpose <c>connection kek</c>. Its id names the root key, so a
/// later configured KEK still finds it for old secrets.
/// </summary>
public sealed class RootDerivedKek(RootKey rootKey) : KeyEncryptionKey
{
    private const string Purpose = "connection kek";

    private readonly RootKey _rootKey = rootKey ?? throw new ArgumentNullException(nameof(rootKey));

    /// <inheritdoc />
    public override string Id { get; } = "root." + rootKey.Id;

    /// <inheritdoc />
    public override byte[] Wrap(ReadOnlySpan<byte> dataKey, string associatedData) => _rootKey.Seal(dataKey, Purpose, associatedData);

    /// <inheritdoc />
    public override byte[]? TryUnwrap(ReadOnlySpan<byte> wrapped, string associatedData) => _rootKey.TryOpen(wrapped, Purpose, associatedData);
}
